@echo off
chcp 65001 >nul
setlocal
rem Drag one or more filled workbooks (.xlsx) onto this file: reportc check lists every problem
rem with its sheet and cell. The window waits for a key.
set "PYTHONUTF8=1"
set "PYTHONIOENCODING=utf-8"
set "PY=%~dp0venv\Scripts\python.exe"
set "FAILED=0"
title 年报工具：检查工作簿
if not exist "%PY%" goto :not_installed
if "%~1"=="" goto :no_file

:next
if "%~1"=="" goto :finish
echo ------------------------------------------------------------
echo 正在检查："%~1"
"%PY%" -m reportc.launch check "%~1"
if errorlevel 1 set "FAILED=1"
shift
goto :next

:finish
echo ------------------------------------------------------------
pause
exit /b %FAILED%

:no_file
echo 用法：把填好的工作簿（.xlsx 文件）拖到“检查工作簿”图标上松开。
pause
exit /b 2

:not_installed
echo 尚未安装：请先双击本文件夹中的“安装.bat”。
pause
exit /b 2
