@echo off
chcp 65001 >nul
setlocal
rem reportc offline installer: make a virtual environment in this folder with the PC's Python,
rem install reportc from the wheels\ folder without internet, put launchers on the desktop.
rem It takes no argument: a file dropped on it is never read. Every way out is "exit", not "exit /b"
rem (see 生成年报.bat). To install many PCs without questions, IT staff use 部署.cmd.
set "PYTHONUTF8=1"
set "PYTHONIOENCODING=utf-8"
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PIP_NO_INPUT=1"
rem Ignore any pip.ini on the PC (an index or share it names is not needed and may be unreachable).
set "PIP_CONFIG_FILE=nul"
set "VENV=%~dp0venv"
set "PY=%~dp0venv\Scripts\python.exe"
set "PYTEST=import struct, sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13) and struct.calcsize('P') == 8))"
title 年报工具 reportc 安装
echo ============================================================
echo   政府信息公开工作年度报告编制工具 reportc：离线安装
echo ============================================================
echo 安装位置："%~dp0"
echo.

if not exist "%~dp0wheels\" goto :not_extracted

rem Find a 64-bit Python 3.10-3.13: first the py launcher (newest first), then python on PATH.
rem stdin is nul so that a launcher offering to download a missing version cannot wait for an answer.
set "PYCMD="
py -3.13 -c "%PYTEST%" <nul >nul 2>&1
if not errorlevel 1 set "PYCMD=py -3.13"
if not defined PYCMD py -3.12 -c "%PYTEST%" <nul >nul 2>&1
if not defined PYCMD if not errorlevel 1 set "PYCMD=py -3.12"
if not defined PYCMD py -3.11 -c "%PYTEST%" <nul >nul 2>&1
if not defined PYCMD if not errorlevel 1 set "PYCMD=py -3.11"
if not defined PYCMD py -3.10 -c "%PYTEST%" <nul >nul 2>&1
if not defined PYCMD if not errorlevel 1 set "PYCMD=py -3.10"
if defined PYCMD goto :found_python
python -c "%PYTEST%" <nul >nul 2>&1
if errorlevel 1 goto :no_python
set "PYCMD=python"
:found_python
echo 找到 Python：
%PYCMD% --version

rem Keep a working virtual environment; rebuild one left by a Python that has since been removed.
if not exist "%PY%" goto :make_venv
"%PY%" -c "pass" >nul 2>&1
if not errorlevel 1 goto :have_venv
echo 原有的运行环境（venv 文件夹）不能使用，重新建立……
rmdir /s /q "%VENV%"
:make_venv
echo 正在建立运行环境（venv 文件夹）……
%PYCMD% -m venv "%VENV%"
if errorlevel 1 goto :venv_failed
:have_venv

echo 正在从本文件夹安装 reportc（不需要联网）……
"%PY%" -m pip install --no-index --find-links "%~dp0wheels" --upgrade reportc
if errorlevel 1 goto :pip_failed
"%PY%" -m reportc --version
if errorlevel 1 goto :pip_failed

echo 正在桌面上创建快捷方式……
"%PY%" -m reportc.launch shortcuts "%~dp0."
if errorlevel 2 goto :bad_folder

echo.
echo 安装完成。使用方法：
echo   新建工作簿：双击“新建工作簿”，输入机关名称和年度。
echo   检查工作簿：把填好的 .xlsx 文件拖到“检查工作簿”图标上。
echo   生成年报：  把填好的 .xlsx 文件拖到“生成年报”图标上，完成后自动打开输出文件夹。
echo 详见本文件夹中的 使用说明.txt。
pause
exit 0

:not_extracted
echo 错误：没有找到 wheels 文件夹。
echo 请先把压缩包全部解压（在压缩包上点右键，选“全部解压缩”），再双击解压出来的 安装.bat。
echo 不要在压缩包里直接双击运行。
pause
exit 1

:no_python
echo 错误：这台电脑上没有找到可用的 Python（需要 64 位的 Python 3.10、3.11、3.12 或 3.13）。
python --version <nul >nul 2>&1
if not errorlevel 1 echo 找到的 Python 版本不受支持（不是 3.10–3.13，或不是 64 位）：
if not errorlevel 1 python --version <nul
echo.
echo 请先安装 Python，任选一种方式：
echo   1. 从单位的软件中心（软件管家）安装 Python 3.12（64 位）；或
echo   2. 从 https://www.python.org/downloads/windows/ 下载“Windows installer (64-bit)”，
echo      安装第一页勾选“Add python.exe to PATH”，保留“py launcher”选项，点“Install Now”。
echo 装好后重新双击本文件（安装.bat）。详见 使用说明.txt 第一节。
pause
exit 1

:venv_failed
echo 错误：建立运行环境失败（见上面的提示）。
echo 请确认本文件夹可以写入（不要放在只读的共享文件夹或光盘中），然后重新运行 安装.bat。
pause
exit 1

:pip_failed
echo 错误：安装 reportc 失败（见上面的提示）。
echo 请确认压缩包已完整解压、wheels 文件夹中的文件齐全，然后重新运行 安装.bat。
echo 如仍失败，可删除本文件夹中的 venv 文件夹后重试。
pause
exit 1

:bad_folder
echo 安装未完成：请看上面的提示。
pause
exit 1
