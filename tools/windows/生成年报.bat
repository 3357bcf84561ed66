@echo off
chcp 65001 >nul
setlocal
rem Drag one or more filled workbooks (.xlsx) onto this file: reportc build writes the report
rem into a folder beside each workbook, then Explorer opens it. The window waits for a key.
set "PYTHONUTF8=1"
set "PYTHONIOENCODING=utf-8"
set "PY=%~dp0venv\Scripts\python.exe"
set "FAILED=0"
title 年报工具：生成年报
if not exist "%PY%" goto :not_installed
if "%~1"=="" goto :no_file

:next
if "%~1"=="" goto :finish
echo ------------------------------------------------------------
echo 正在生成："%~1"
"%PY%" -m reportc.launch build "%~1"
if errorlevel 1 set "FAILED=1"
shift
goto :next

:finish
echo ------------------------------------------------------------
if "%FAILED%"=="1" echo 有工作簿未能生成年报，请看上面的提示和校验报告（validation.html）。
pause
exit /b %FAILED%

:no_file
echo 用法：把填好的工作簿（.xlsx 文件）拖到“生成年报”图标上松开。
echo 生成的网页、Word 文档和校验报告保存在工作簿旁边的“工作簿名-年报”文件夹中。
pause
exit /b 2

:not_installed
echo 尚未安装：请先双击本文件夹中的“安装.bat”。
pause
exit /b 2
