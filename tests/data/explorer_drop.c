/* Starts a program the way Explorer starts a batch file that files were dropped on: CreateProcessW with
   the command line in EXPLORER_DROP (e.g. cmd.exe /c ""Z:\...\生成年报.bat" Z:\x&md;PWNED&.xlsx"), no
   shell in between; waits and returns its exit code. Wine's command-line quoting cannot make such a line. */
#include <windows.h>
int wmain(void) {
    static wchar_t line[32768];
    if (!GetEnvironmentVariableW(L"EXPLORER_DROP", line, 32768)) return 120;
    STARTUPINFOW si = {sizeof si}; PROCESS_INFORMATION pi;
    if (!CreateProcessW(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 121;
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 122; GetExitCodeProcess(pi.hProcess, &code);
    return (int)code;
}
