/* A stand-in for libnvrtc with the same C signatures, for testing the FFM binding on machines
   without CUDA: "compiling" returns the source with a header, and a source containing
   "#error" fails with a log. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

typedef struct { char *src; char *out; char *log; } prog_t;

int nvrtcCreateProgram(prog_t **prog, const char *src, const char *name, int nh, const char *const *h, const char *const *hn) {
    prog_t *p = calloc(1, sizeof(prog_t));
    p->src = strdup(src);
    *prog = p;
    return 0;
}
int nvrtcCompileProgram(prog_t *p, int n, const char *const *opts) {
    if (strstr(p->src, "#error")) { p->log = strdup("tsl_kernel.cu(1): error: planted"); return 6; }
    size_t len = strlen(p->src) + 256;
    p->out = malloc(len);
    snprintf(p->out, len, "// fake ptx, %d option(s), first: %s\n%s", n, n > 0 ? opts[0] : "-", p->src);
    return 0;
}
int nvrtcGetPTXSize(prog_t *p, size_t *n) { *n = strlen(p->out) + 1; return 0; }
int nvrtcGetPTX(prog_t *p, char *dst) { memcpy(dst, p->out, strlen(p->out) + 1); return 0; }
int nvrtcGetProgramLogSize(prog_t *p, size_t *n) { *n = (p->log ? strlen(p->log) : 0) + 1; return 0; }
int nvrtcGetProgramLog(prog_t *p, char *dst) { strcpy(dst, p->log ? p->log : ""); return 0; }
int nvrtcDestroyProgram(prog_t **p) { free((*p)->src); free((*p)->out); free((*p)->log); free(*p); *p = 0; return 0; }
