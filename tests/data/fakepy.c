/* A stand-in for py.exe / python.exe under Wine: logs its arguments (UTF-8, one per line, records end
   with "--"), pretends to make a venv (copies itself to DIR\Scripts\python.exe), exits with FAKEPY_EXIT for
   "-m reportc.launch". */
#include <windows.h>
#include <shellapi.h>
#include <stdio.h>
#include <wchar.h>
static void logw(const wchar_t *s) {
    wchar_t path[1024]; if (!GetEnvironmentVariableW(L"FAKEPY_LOG", path, 1024)) return;
    FILE *f = _wfopen(path, L"ab"); if (!f) return;
    char buf[4096]; int n = WideCharToMultiByte(CP_UTF8, 0, s, -1, buf, sizeof buf, NULL, NULL);
    if (n > 0) fwrite(buf, 1, n - 1, f); fwrite("\n", 1, 1, f); fclose(f);
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
        wchar_t code[16]; if (GetEnvironmentVariableW(L"FAKEPY_EXIT", code, 16)) return _wtoi(code);
        return 0;
    }
    return 0;
}
