/* A stand-in for py.exe / python.exe under Wine: logs its arguments (UTF-8, one per line, records end
   with "--"), pretends to make a venv (copies itself to DIR\Scripts\python.exe), exits with FAKEPY_EXIT for
   "-m reportc.launch". For "-m reportc.launch" it also writes to FAKEPY_PARENT_LOG the command line of its
   parent process (the cmd.exe running the launcher), read as reportc.launch reads it: from the parent's
   process environment block (PEB+0x20 -> process parameters, +0x70 -> CommandLine), one line each. */
#include <windows.h>
#include <winternl.h>
#include <shellapi.h>
#include <stdio.h>
#include <wchar.h>
static void logw(const wchar_t *s) {
    wchar_t path[1024]; if (!GetEnvironmentVariableW(L"FAKEPY_LOG", path, 1024)) return;
    FILE *f = _wfopen(path, L"ab"); if (!f) return;
    char buf[4096]; int n = WideCharToMultiByte(CP_UTF8, 0, s, -1, buf, sizeof buf, NULL, NULL);
    if (n > 0) fwrite(buf, 1, n - 1, f); fwrite("\n", 1, 1, f); fclose(f);
}
typedef NTSTATUS (NTAPI *NtQIP)(HANDLE, ULONG, PVOID, ULONG, PULONG);
static void log_parent(void) {
    wchar_t path[1024]; if (!GetEnvironmentVariableW(L"FAKEPY_PARENT_LOG", path, 1024)) return;
    NtQIP query = (NtQIP)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQueryInformationProcess");
    PROCESS_BASIC_INFORMATION info; ULONG n; SIZE_T got;
    if (query(GetCurrentProcess(), 0, &info, sizeof info, &n)) return;
    HANDLE h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE,
                           (DWORD)(ULONG_PTR)info.InheritedFromUniqueProcessId);
    if (!h || query(h, 0, &info, sizeof info, &n)) return;
    BYTE *params = NULL; BYTE text[16];
    if (!ReadProcessMemory(h, (BYTE *)info.PebBaseAddress + 0x20, &params, 8, &got)) return;
    if (!ReadProcessMemory(h, params + 0x70, text, 16, &got)) return;
    USHORT length = *(USHORT *)text; wchar_t *buffer = *(wchar_t **)(text + 8);
    static wchar_t line[32768]; static char utf8[131072];
    if (!ReadProcessMemory(h, buffer, line, length, &got)) return;
    int bytes = WideCharToMultiByte(CP_UTF8, 0, line, length / 2, utf8, sizeof utf8, NULL, NULL);
    FILE *f = _wfopen(path, L"ab"); if (!f) return;
    fwrite(utf8, 1, bytes, f); fwrite("\n", 1, 1, f); fclose(f); CloseHandle(h);
}
int wmain(void) {
    int argc; wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    for (int i = 1; i < argc; i++) logw(argv[i]);
    logw(L"--");
    int i = 1;
    if (i < argc && argv[i][0] == L'-' && argv[i][1] == L'3') {  /* py -3.12 */
        wchar_t only[16];
        if (GetEnvironmentVariableW(L"FAKEPY_ONLY", only, 16) && wcscmp(only, argv[i])) return 103;
        i++;
    }
    if (i < argc && !wcscmp(argv[i], L"--version")) { printf("Python 3.12.0\n"); return 0; }
    if (i < argc && !wcscmp(argv[i], L"-c")) {  /* FAKEPY_C_EXIT: the version check fails (e.g. a 32-bit Python) */
        wchar_t code[16]; if (GetEnvironmentVariableW(L"FAKEPY_C_EXIT", code, 16)) return _wtoi(code);
        return 0;
    }
    if (i + 2 < argc && !wcscmp(argv[i], L"-m") && !wcscmp(argv[i+1], L"venv")) {
        wchar_t dir[2048], exe[2048], self[2048];
        swprintf(dir, 2048, L"%ls", argv[i+2]); CreateDirectoryW(dir, NULL);
        swprintf(dir, 2048, L"%ls\\Scripts", argv[i+2]); CreateDirectoryW(dir, NULL);
        swprintf(exe, 2048, L"%ls\\python.exe", dir);
        GetModuleFileNameW(NULL, self, 2048);
        return CopyFileW(self, exe, FALSE) ? 0 : 5;
    }
    if (i + 1 < argc && !wcscmp(argv[i], L"-m") && !wcscmp(argv[i+1], L"reportc")) { printf("reportc 0.2.0\n"); return 0; }
    if (i + 1 < argc && !wcscmp(argv[i], L"-m") && !wcscmp(argv[i+1], L"reportc.launch")) {
        log_parent();
        wchar_t code[16]; if (GetEnvironmentVariableW(L"FAKEPY_EXIT", code, 16)) return _wtoi(code);
        return 0;
    }
    return 0;
}
