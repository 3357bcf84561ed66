@echo off
chcp 65001 >nul
setlocal
rem Asks for 机关名称 and 年度 (read by Python, which reads Chinese from the console reliably),
rem writes a new fill-in workbook into the 我的工作簿 folder beside this file and opens that folder.
rem A dropped file name never reaches cmd from here: this file takes no argument (no %1, shift or call);
rem reportc.launch reads the names from the command line of this cmd.exe itself. Every way out is "exit",
rem not "exit /b": Explorer starts this file as cmd.exe /c ""...bat" names", and cmd has already split that
rem line at any "&" in an unquoted name; "exit" ends cmd before it can run what follows.
set "PYTHONUTF8=1"
set "PYTHONIOENCODING=utf-8"
set "PY=%~dp0venv\Scripts\python.exe"
title 年报工具：新建工作簿
if not exist "%PY%" goto :not_installed
"%PY%" -m reportc.launch new "%~dp0."
set "CODE=%ERRORLEVEL%"
if not "%CODE%"=="0" echo 没有生成工作簿，请看上面的提示。
pause
exit %CODE%

:not_installed
echo 尚未安装：请先双击本文件夹中的“安装.bat”。
pause
exit 2
