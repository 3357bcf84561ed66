@echo off
chcp 65001 >nul
setlocal
rem reportc unattended deployment for IT staff: run on each PC as an administrator, e.g. from a network share
rem    \\server\share\reportc-bundle\部署.cmd
rem by a login or start-up script, remote execution or a software-distribution tool. It asks nothing and waits
rem for nothing. It copies this folder to %ProgramFiles%\reportc, makes the virtual environment there with the
rem PC's Python (64-bit 3.10-3.13), installs reportc from wheels\ without internet, puts the shortcuts on the
rem Public desktop (every user of the PC), and appends to a log, %ProgramData%\reportc\deploy.log.
rem Another folder: set REPORTC_DEPLOY_TARGET (and REPORTC_DEPLOY_LOG for the log) before running it.
rem Exit codes: 0 installed; 10 no supported Python; 11 cannot copy to the target folder (not an administrator?);
rem 12 virtual environment failed; 13 installing reportc failed; 14 installed, but the shortcuts failed;
rem 15 not an unpacked bundle (no wheels folder). Like every launcher it takes no argument and ends with exit.
rem Each log line starts in English for tools that search logs (and because Wine's cmd, used by the tests,
rem garbles the Chinese of a batch file), then says it in Chinese.
set "PYTHONUTF8=1"
set "PYTHONIOENCODING=utf-8"
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PIP_NO_INPUT=1"
set "PIP_CONFIG_FILE=nul"
set "TARGET=%ProgramFiles%\reportc"
if defined REPORTC_DEPLOY_TARGET set "TARGET=%REPORTC_DEPLOY_TARGET%"
set "LOG=%ProgramData%\reportc\deploy.log"
if defined REPORTC_DEPLOY_LOG set "LOG=%REPORTC_DEPLOY_LOG%"
set "PY=%TARGET%\venv\Scripts\python.exe"
set "PYTEST=import struct, sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13) and struct.calcsize('P') == 8))"
for %%L in ("%LOG%") do if not exist "%%~dpL" mkdir "%%~dpL" >nul 2>&1
echo ============================================================ >>"%LOG%"
echo reportc deploy start 部署开始："%COMPUTERNAME%" "%DATE% %TIME%" >>"%LOG%"
echo 安装包："%~dp0" >>"%LOG%"
echo 安装到："%TARGET%" >>"%LOG%"
echo reportc 部署：日志写入 "%LOG%"

set "STEP=15"
if not exist "%~dp0wheels\" goto :failed

set "STEP=10"
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
if errorlevel 1 goto :failed
set "PYCMD=python"
:found_python
echo Python：%PYCMD% >>"%LOG%"
%PYCMD% --version <nul >>"%LOG%" 2>&1

set "STEP=11"
xcopy "%~dp0*" "%TARGET%\" /e /i /q /y /r <nul >>"%LOG%" 2>&1
if errorlevel 1 goto :failed

set "STEP=12"
if not exist "%PY%" goto :make_venv
"%PY%" -c "pass" <nul >nul 2>&1
if not errorlevel 1 goto :have_venv
rmdir /s /q "%TARGET%\venv" >>"%LOG%" 2>&1
:make_venv
%PYCMD% -m venv "%TARGET%\venv" <nul >>"%LOG%" 2>&1
if errorlevel 1 goto :failed
:have_venv

set "STEP=13"
"%PY%" -m pip install --no-index --find-links "%TARGET%\wheels" --upgrade reportc <nul >>"%LOG%" 2>&1
if errorlevel 1 goto :failed
"%PY%" -m reportc --version <nul >>"%LOG%" 2>&1
if errorlevel 1 goto :failed

set "STEP=14"
"%PY%" -m reportc.launch shortcuts "%TARGET%" --all-users <nul >>"%LOG%" 2>&1
if errorlevel 1 goto :failed

echo reportc deploy exit 0 部署完成（退出码 0）。 >>"%LOG%"
echo reportc 部署完成。
exit 0

:failed
if "%STEP%"=="10" echo no supported Python 失败：没有找到可用的 Python（需要 64 位的 Python 3.10、3.11、3.12 或 3.13），见 docs\安装.md 第一节的静默安装命令。 >>"%LOG%"
if "%STEP%"=="11" echo cannot copy to the target 失败：不能复制到安装文件夹（需要以管理员身份运行）。 >>"%LOG%"
if "%STEP%"=="12" echo venv failed 失败：建立运行环境（venv）失败。 >>"%LOG%"
if "%STEP%"=="13" echo pip install failed 失败：从 wheels 文件夹安装 reportc 失败（安装包不完整？）。 >>"%LOG%"
if "%STEP%"=="14" echo shortcuts failed 已安装，但未能在公共桌面创建快捷方式（见上面的提示）。 >>"%LOG%"
if "%STEP%"=="15" echo not an unpacked bundle 失败：本文件夹中没有 wheels 文件夹，请把离线安装包完整解压后再运行。 >>"%LOG%"
echo reportc 部署失败（退出码 %STEP%），见日志 "%LOG%"
echo reportc deploy exit %STEP% 部署结束（退出码 %STEP%）。 >>"%LOG%"
exit %STEP%
