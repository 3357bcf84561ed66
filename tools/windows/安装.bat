@echo off
chcp 65001 >nul
setlocal
rem reportc offline installer: make a virtual environment in this folder with the PC's Python,
rem install reportc from the wheels\ folder without internet, put launchers on the desktop.
rem Options (for IT staff installing many PCs): /quiet = no pauses; /noshortcut = no desktop shortcuts.
set "PYTHONUTF8=1"
set "PYTHONIOENCODING=utf-8"
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PIP_NO_INPUT=1"
set "REPORTC_HOME=%~dp0"
set "VENV=%~dp0venv"
set "PY=%~dp0venv\Scripts\python.exe"
set "QUIET="
set "NOSHORTCUT="
if /i "%~1"=="/quiet" set "QUIET=1"
if /i "%~2"=="/quiet" set "QUIET=1"
if /i "%~1"=="/noshortcut" set "NOSHORTCUT=1"
if /i "%~2"=="/noshortcut" set "NOSHORTCUT=1"
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
for %%V in (3.13 3.12 3.11 3.10) do if not defined PYCMD (
  py -%%V -c "import struct, sys; sys.exit(struct.calcsize('P') != 8)" <nul >nul 2>&1 && set "PYCMD=py -%%V"
)
if not defined PYCMD (
  python -c "import struct, sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13) and struct.calcsize('P') == 8))" <nul >nul 2>&1 && set "PYCMD=python"
)
if not defined PYCMD goto :no_python
echo 找到 Python：
%PYCMD% --version

rem A virtual environment left by a Python that has since been removed is rebuilt.
if exist "%PY%" (
  "%PY%" -c "pass" >nul 2>&1 || rmdir /s /q "%VENV%"
)
if exist "%PY%" goto :have_venv
echo 正在建立运行环境（venv 文件夹）……
%PYCMD% -m venv "%VENV%"
if errorlevel 1 goto :venv_failed
:have_venv

echo 正在从本文件夹安装 reportc（不需要联网）……
"%PY%" -m pip install --no-index --find-links "%~dp0wheels" --upgrade reportc
if errorlevel 1 goto :pip_failed
"%PY%" -m reportc --version
if errorlevel 1 goto :pip_failed

if defined NOSHORTCUT goto :done
echo 正在桌面上创建快捷方式……
powershell -NoProfile -ExecutionPolicy Bypass -Command "$ErrorActionPreference='Stop'; $d=[Environment]::GetFolderPath('Desktop'); $w=New-Object -ComObject WScript.Shell; foreach($n in @('生成年报','检查工作簿','新建工作簿')){ $s=$w.CreateShortcut((Join-Path $d ('年报工具-'+$n+'.lnk'))); $s.TargetPath=(Join-Path $env:REPORTC_HOME ($n+'.bat')); $s.WorkingDirectory=$env:REPORTC_HOME; $s.Save() }" >nul 2>&1
if errorlevel 1 (
  echo 未能在桌面创建快捷方式（可能被单位的安全策略禁止）。不影响使用：直接用本文件夹中的 生成年报.bat 等文件即可。
) else (
  echo 已在桌面创建：年报工具-生成年报、年报工具-检查工作簿、年报工具-新建工作簿。
)

:done
echo.
echo 安装完成。使用方法：
echo   新建工作簿：双击“新建工作簿”，输入机关名称和年度。
echo   检查工作簿：把填好的 .xlsx 文件拖到“检查工作簿”图标上。
echo   生成年报：  把填好的 .xlsx 文件拖到“生成年报”图标上，完成后自动打开输出文件夹。
echo 详见本文件夹中的 使用说明.txt。
if not defined QUIET pause
exit /b 0

:not_extracted
echo 错误：没有找到 wheels 文件夹。
echo 请先把压缩包全部解压（在压缩包上点右键，选“全部解压缩”），再双击解压出来的 安装.bat。
echo 不要在压缩包里直接双击运行。
if not defined QUIET pause
exit /b 1

:no_python
echo 错误：这台电脑上没有找到可用的 Python（需要 64 位的 Python 3.10、3.11、3.12 或 3.13）。
echo.
echo 请先安装 Python，任选一种方式：
echo   1. 从单位的软件中心（软件管家）安装 Python 3.12（64 位）；或
echo   2. 从 https://www.python.org/downloads/windows/ 下载“Windows installer (64-bit)”，
echo      安装第一页勾选“Add python.exe to PATH”，保留“py launcher”选项，点“Install Now”。
echo 装好后重新双击本文件（安装.bat）。详见 使用说明.txt 第一节。
if not defined QUIET pause
exit /b 1

:venv_failed
echo 错误：建立运行环境失败（见上面的提示）。
echo 请确认本文件夹可以写入（不要放在只读的共享文件夹或光盘中），然后重新运行 安装.bat。
if not defined QUIET pause
exit /b 1

:pip_failed
echo 错误：安装 reportc 失败（见上面的提示）。
echo 请确认压缩包已完整解压、wheels 文件夹中的文件齐全，然后重新运行 安装.bat。
echo 如仍失败，可删除本文件夹中的 venv 文件夹后重试。
if not defined QUIET pause
exit /b 1
