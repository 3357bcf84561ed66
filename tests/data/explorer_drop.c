/* Starts a program the way Explorer starts a batch file that files were dropped on: CreateProcessW with
   the command line in EXPLORER_DROP (e.g. cmd.exe /c ""Z:\...\生成年报.bat" Z:\x&md;PWNED&.xlsx"), no
   shell in between; waits and returns its exit code. Wine's command-line quoting cannot make such a line. */
#include <windows.h>
#include <stdio.h>
int wmain(void) {
    static wchar_t line[32768];
    if (!GetEnvironmentVariableW(L"EXPLORER_DROP", line, 32768)) return 120;
    STARTUPINFOW si = {sizeof si}; PROCESS_INFORMATION pi;
    int tries = 0;  /* a loaded Wine has been seen to fail a CreateProcessW once: try again before giving up */
    while (!CreateProcessW(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        fwprintf(stderr, L"explorer_drop: CreateProcessW failed (%lu)\n", GetLastError());
        if (++tries == 3) return 121;
        Sleep(1000);
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 122; GetExitCodeProcess(pi.hProcess, &code);
    return (int)code;
}
