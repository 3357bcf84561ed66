@echo off
chcp 65001 >nul
setlocal
rem Drag one or more filled workbooks (.xlsx) onto this file: reportc build writes the report
rem into a folder beside each workbook, then Explorer opens it. The window waits for a key.
rem A dropped file name never reaches cmd from here: this file takes no argument (no %1, shift or call);
rem reportc.launch reads the names from the command line of this cmd.exe itself. Every way out is "exit",
rem not "exit /b": Explorer starts this file as cmd.exe /c ""...bat" names", and cmd has already split that
rem line at any "&" in an unquoted name; "exit" ends cmd before it can run what follows.
set "PYTHONUTF8=1"
set "PYTHONIOENCODING=utf-8"
set "PY=%~dp0venv\Scripts\python.exe"
title 年报工具：生成年报
if not exist "%PY%" goto :not_installed
"%PY%" -m reportc.launch build
set "CODE=%ERRORLEVEL%"
pause
exit %CODE%

:not_installed
echo 尚未安装：请先双击本文件夹中的“安装.bat”。
pause
exit 2
