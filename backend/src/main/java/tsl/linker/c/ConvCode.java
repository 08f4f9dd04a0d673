package tsl.linker.c;

/**
 * The C helpers of the convolution ops ({@link ConvEmitter}): the geometry check with the jvm
 * reference's messages, im2col / col2im over any input strides, and the three products as
 * OpenBLAS dgemm calls on batches of images.
 *
 * <p>Everything is computed in double, float32 too, and rounded once into the output, as the
 * jvm reference (ConvKernels) does: only the summation order differs (BLAS's blocking against
 * the reference's straight loops), so float32 results are the reference's or one ulp away.
 * sgemm (float accumulation) was measured against this on LeNet's two layers (64 images; a
 * scratch C harness, see docs/NATIVE.md "Convolution"): the forward products stayed within
 * 6% of DebugMode's float32 tolerance (atol 1e-5 + rtol 1e-4), but the filter gradient, a
 * reduction over batch x positions (36864 terms for the first layer), reached 100% of it on the
 * first layer and went past it on the second: DebugMode would report a difference that is only
 * float rounding. dgemm costs about twice sgemm's time here; a wrong DebugMode report is worse.
 *
 * <p>Layout of the products: for a block of nb images and one channel group, the column matrix
 * has one row per filter tap (channel of the group, row, col; rows ordered as the filters are
 * stored, the flip applied while reading the input) and one column per (image, output position);
 * the filters are an O x K matrix, the output (gradient) an Og x (nb * N) matrix, and one gemm
 * covers the block: few, large calls, which OpenBLAS's threads can share (LeNet's first layer
 * is one gemm for 64 images, its second two).
 */
final class ConvCode {
    private ConvCode() {}

    private static final java.util.regex.Pattern SINGLE = java.util.regex.Pattern.compile("tsl_conv_\\w+_s\\(&g");
    private static final java.util.regex.Pattern DOUBLE = java.util.regex.Pattern.compile("tsl_conv_\\w+_d\\(&g");

    /** The helpers when the generated body calls them (the body may hold a Scan's inner graph too). */
    static String helpersFor(CharSequence body) {
        String b = body.toString();
        if (!b.contains("tsl_conv_")) {
            return "";
        }
        // only the element types the body uses: each instantiation is ~200 lines for gcc
        return HELPERS + (SINGLE.matcher(b).find() ? "TSL_CONV_TYPED(float, s)\n" : "")
                + (DOUBLE.matcher(b).find() ? "TSL_CONV_TYPED(double, d)\n" : "");
    }

    static final String HELPERS = """
            /* ---- convolution (ConvCode) ---- */
            typedef struct { int64_t B, C, H, W, O, Cg, KH, KW, OH, OW, ph, pw, sh, sw, dh, dw, G; int flip; } tsl_conv_g;
            /* a 4-d shape in Python's syntax; with qmark, negative lengths print as ? (ConvGeometry.shape) */
            static const char* tsl_conv_fmt(const int64_t* s, int qmark, char* buf, size_t n) {
                char q[4][24];
                for (int i = 0; i < 4; i++) {
                    if (qmark && s[i] < 0) snprintf(q[i], 24, "?"); else snprintf(q[i], 24, "%lld", (long long) s[i]);
                }
                snprintf(buf, n, "(%s, %s, %s, %s)", q[0], q[1], q[2], q[3]);
                return buf;
            }
            /* ConvParams.pad: mode 0 valid, 1 full, 2 half, 3 explicit (ep) */
            static int64_t tsl_conv_pad(int mode, int64_t ep, int64_t dk) {
                return mode == 0 ? 0 : mode == 1 ? dk - 1 : mode == 2 ? dk / 2 : ep;
            }
            /* ConvGeometry.of: fills g for input shape x and filter shape w, or writes the reference's message into msg */
            static int tsl_conv_geometry(tsl_conv_g* g, const char* op, const int64_t* x, const int64_t* w, int mode,
                                         int64_t eph, int64_t epw, int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t G,
                                         int flip, const char* describe, char* msg) {
                char s1[128], s2[128];
                if (x[1] >= 0 && w[1] >= 0 && x[1] != w[1] * G) {
                    char extra[96] = "";
                    if (G > 1) snprintf(extra, sizeof extra, " x num_groups %lld = %lld", (long long) G, (long long) (w[1] * G));
                    snprintf(msg, TSL_ERRLEN, "%s: the input has %lld channels but the filters expect %lld%s; input shape %s, filter shape %s",
                             op, (long long) x[1], (long long) w[1], extra, tsl_conv_fmt(x, 1, s1, 128), tsl_conv_fmt(w, 1, s2, 128));
                    return 1;
                }
                if (w[0] >= 0 && w[0] % G != 0) {
                    snprintf(msg, TSL_ERRLEN, "%s: the number of filters (%lld) must be a multiple of num_groups (%lld); filter shape %s",
                             op, (long long) w[0], (long long) G, tsl_conv_fmt(w, 1, s2, 128));
                    return 1;
                }
                const int64_t dk0 = (w[2] - 1) * dh + 1, dk1 = (w[3] - 1) * dw + 1;
                const int64_t p0 = tsl_conv_pad(mode, eph, dk0), p1 = tsl_conv_pad(mode, epw, dk1);
                const int64_t span0 = x[2] + 2 * p0 - dk0, span1 = x[3] + 2 * p1 - dk1;
                const int64_t oh = span0 < 0 ? -1 : span0 / sh + 1, ow = span1 < 0 ? -1 : span1 / sw + 1;
                if (oh < 1 || ow < 1) {
                    snprintf(msg, TSL_ERRLEN, "%s: the filter (%lld, %lld after dilation) does not fit in the input (%lld, %lld after padding); "
                             "input shape %s, filter shape %s, %s", op, (long long) dk0, (long long) dk1, (long long) (x[2] + 2 * p0),
                             (long long) (x[3] + 2 * p1), tsl_conv_fmt(x, 0, s1, 128), tsl_conv_fmt(w, 0, s2, 128), describe);
                    return 1;
                }
                g->B = x[0]; g->C = x[1]; g->H = x[2]; g->W = x[3];
                g->O = w[0]; g->Cg = w[1]; g->KH = w[2]; g->KW = w[3];
                g->OH = oh; g->OW = ow; g->ph = p0; g->pw = p1;
                g->sh = sh; g->sw = sw; g->dh = dh; g->dw = dw; g->G = G; g->flip = flip;
                return 0;
            }
            /* Conv.checkTop: the output gradient must have the forward convolution's output shape */
            static int tsl_conv_check_top(const tsl_conv_g* g, const char* op, const int64_t* top, const char* describe, char* msg) {
                const int64_t o[4] = {g->B, g->O, g->OH, g->OW};
                if (top[0] == o[0] && top[1] == o[1] && top[2] == o[2] && top[3] == o[3]) return 0;
                const int64_t x[4] = {g->B, g->C, g->H, g->W}, w[4] = {g->O, g->Cg, g->KH, g->KW};
                char s1[128], s2[128], s3[128], s4[128];
                snprintf(msg, TSL_ERRLEN, "%s: the output gradient has shape %s but conv2d of an input %s with filters %s gives %s (%s)",
                         op, tsl_conv_fmt(top, 0, s1, 128), tsl_conv_fmt(x, 0, s2, 128), tsl_conv_fmt(w, 0, s3, 128),
                         tsl_conv_fmt(o, 0, s4, 128), describe);
                return 1;
            }
            /* images per block: the column matrix (K x nb*N doubles) up to 8 MiB, at least one image. Smaller blocks were
               10-30% faster single-threaded (in cache), but every gemm call wakes OpenBLAS's threads, and on a busy
               machine 64 small calls per convolution spent most of their time waiting for them */
            static int64_t tsl_conv_block(const tsl_conv_g* g) {
                const int64_t per = g->Cg * g->KH * g->KW * g->OH * g->OW;
                int64_t nb = per > 0 ? ((int64_t) 1 << 20) / per : g->B;
                return nb < 1 ? 1 : nb > g->B ? g->B : nb;
            }
            /* first output index whose tap, off past i * s in the input, lies inside it; one past the last (ConvGeometry) */
            static inline int64_t tsl_conv_first(int64_t off, int64_t s) { return off >= 0 ? 0 : (-off + s - 1) / s; }
            static inline int64_t tsl_conv_end(int64_t off, int64_t s, int64_t in, int64_t out) {
                const int64_t last = in - 1 - off;
                return last < 0 ? 0 : (last / s + 1 < out ? last / s + 1 : out);
            }
            /* the taps of image b, group grp: for each (c, ku, kv) the input plane, the column row and the tap's offsets */
            #define TSL_CONV_TAPS(g, ...) \\
                for (int64_t c = 0; c < (g)->Cg; c++) \\
                    for (int64_t ku = 0; ku < (g)->KH; ku++) \\
                        for (int64_t kv = 0; kv < (g)->KW; kv++) { \\
                            const int64_t row = (c * (g)->KH + ku) * (g)->KW + kv; \\
                            const int64_t roff = ((g)->flip ? (g)->KH - 1 - ku : ku) * (g)->dh - (g)->ph; \\
                            const int64_t coff = ((g)->flip ? (g)->KW - 1 - kv : kv) * (g)->dw - (g)->pw; \\
                            __VA_ARGS__ \\
                        }
            /* adds the column block of one image (row stride ld) back into gx, the image's C x H x W doubles (col2im) */
            static void tsl_conv_col2im(const tsl_conv_g* g, const double* col, int64_t ld, int64_t grp, double* gx) {
                const int64_t OW = g->OW;
                TSL_CONV_TAPS(g, {
                    const int64_t i0 = tsl_conv_first(roff, g->sh), i1 = tsl_conv_end(roff, g->sh, g->H, g->OH);
                    const int64_t j0 = tsl_conv_first(coff, g->sw), j1 = tsl_conv_end(coff, g->sw, g->W, OW);
                    double* plane = gx + (grp * g->Cg + c) * g->H * g->W;
                    for (int64_t i = i0; i < i1; i++) {
                        const double* src = col + row * ld + i * OW;
                        double* dst = plane + (i * g->sh + roff) * g->W + coff;
                        for (int64_t j = j0; j < j1; j++) dst[j * g->sw] += src[j];
                    }
                })
            }
            /* per element type: im2col, loading filters and output gradients as doubles, and the three products */
            #define TSL_CONV_TYPED(T, S) \\
            /* the column block of image b (row stride ld), the input read through its strides xs, zeros in the padding */ \\
            static void tsl_conv_im2col_##S(const tsl_conv_g* g, const T* x, const int64_t* xs, int64_t b, int64_t grp, double* col, int64_t ld) { \\
                const int64_t OH = g->OH, OW = g->OW; \\
                TSL_CONV_TAPS(g, { \\
                    const T* plane = x + b * xs[0] + (grp * g->Cg + c) * xs[1]; \\
                    double* dst = col + row * ld; \\
                    int64_t i0 = tsl_conv_first(roff, g->sh), i1 = tsl_conv_end(roff, g->sh, g->H, OH); \\
                    int64_t j0 = tsl_conv_first(coff, g->sw), j1 = tsl_conv_end(coff, g->sw, g->W, OW); \\
                    if (i0 > OH) i0 = OH; \\
                    if (i1 < i0) i1 = i0; \\
                    if (j0 > OW) j0 = OW; \\
                    if (j1 < j0) j1 = j0; \\
                    memset(dst, 0, i0 * OW * sizeof(double)); \\
                    const int64_t step = g->sw * xs[3]; \\
                    for (int64_t i = i0; i < i1; i++) { \\
                        double* d = dst + i * OW; \\
                        const T* s = plane + (i * g->sh + roff) * xs[2] + coff * xs[3]; \\
                        for (int64_t j = 0; j < j0; j++) d[j] = 0; \\
                        if (step == 1) for (int64_t j = j0; j < j1; j++) d[j] = s[j]; \\
                        else for (int64_t j = j0; j < j1; j++) d[j] = s[j * step]; \\
                        for (int64_t j = j1; j < OW; j++) d[j] = 0; \\
                    } \\
                    memset(dst + i1 * OW, 0, (OH - i1) * OW * sizeof(double)); \\
                }) \\
            } \\
            /* the filters (O, Cg, KH, KW; strides st) as an O x K matrix of doubles */ \\
            static void tsl_conv_filters_##S(const tsl_arr* wa, double* dst) { \\
                const T* p = (const T*) wa->data; \\
                const int64_t* sh = wa->shape; const int64_t* st = wa->strides; \\
                for (int64_t o = 0; o < sh[0]; o++) for (int64_t c = 0; c < sh[1]; c++) \\
                    for (int64_t u = 0; u < sh[2]; u++) for (int64_t v = 0; v < sh[3]; v++) \\
                        *dst++ = p[o * st[0] + c * st[1] + u * st[2] + v * st[3]]; \\
            } \\
            /* channels [o0, o0 + n) of image b of the output gradient ta, as n rows of N doubles with row stride ld */ \\
            static void tsl_conv_top_##S(const tsl_arr* ta, int64_t b, int64_t o0, int64_t n, double* dst, int64_t ld) { \\
                const T* p = (const T*) ta->data; \\
                const int64_t* sh = ta->shape; const int64_t* st = ta->strides; \\
                for (int64_t o = 0; o < n; o++) { \\
                    double* d = dst + o * ld; \\
                    const T* q = p + b * st[0] + (o0 + o) * st[1]; \\
                    for (int64_t u = 0; u < sh[2]; u++) for (int64_t v = 0; v < sh[3]; v++) *d++ = q[u * st[2] + v * st[3]]; \\
                } \\
            } \\
            /* out = conv2d(x, w), out fresh and contiguous */ \\
            static int tsl_conv_forward_##S(const tsl_conv_g* g, const tsl_arr* xa, const tsl_arr* wa, T* out) { \\
                const int64_t K = g->Cg * g->KH * g->KW, N = g->OH * g->OW, Og = g->O / g->G, nb = tsl_conv_block(g); \\
                if (g->B * g->O * N == 0) return 0; \\
                if (K == 0) { memset(out, 0, g->B * g->O * N * sizeof(T)); return 0; } \\
                double* wd = (double*) malloc(g->O * K * sizeof(double)); \\
                double* col = (double*) malloc(K * nb * N * sizeof(double)); \\
                double* res = (double*) malloc((Og > 0 ? Og : 1) * nb * N * sizeof(double)); \\
                if (!wd || !col || !res) { free(wd); free(col); free(res); return 1; } \\
                tsl_conv_filters_##S(wa, wd); \\
                for (int64_t b0 = 0; b0 < g->B; b0 += nb) { \\
                    const int64_t n = g->B - b0 < nb ? g->B - b0 : nb, ld = n * N; \\
                    for (int64_t grp = 0; grp < g->G && Og > 0; grp++) { \\
                        for (int64_t bi = 0; bi < n; bi++) tsl_conv_im2col_##S(g, (const T*) xa->data, xa->strides, b0 + bi, grp, col + bi * N, ld); \\
                        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Og, ld, K, 1, wd + grp * Og * K, K, col, ld, 0, res, ld); \\
                        for (int64_t bi = 0; bi < n; bi++) for (int64_t o = 0; o < Og; o++) { \\
                            T* d = out + ((b0 + bi) * g->O + grp * Og + o) * N; \\
                            const double* s = res + o * ld + bi * N; \\
                            for (int64_t q = 0; q < N; q++) d[q] = (T) s[q]; \\
                        } \\
                    } \\
                } \\
                free(wd); free(col); free(res); \\
                return 0; \\
            } \\
            /* gx = the adjoint of conv2d in its input, from the filters wa and the output gradient ta; gx fresh and contiguous */ \\
            static int tsl_conv_grad_inputs_##S(const tsl_conv_g* g, const tsl_arr* wa, const tsl_arr* ta, T* gx) { \\
                const int64_t K = g->Cg * g->KH * g->KW, N = g->OH * g->OW, Og = g->O / g->G, img = g->C * g->H * g->W; \\
                /* the block's input gradient (nb images in double) kept under 8 MiB too: strides make it larger than the columns */ \\
                int64_t nb = tsl_conv_block(g); \\
                if (img > 0 && nb * img > ((int64_t) 1 << 20)) nb = ((int64_t) 1 << 20) / img > 1 ? ((int64_t) 1 << 20) / img : 1; \\
                if (g->B * img == 0) return 0; \\
                if (K == 0 || Og == 0) { memset(gx, 0, g->B * img * sizeof(T)); return 0; } \\
                double* wd = (double*) malloc(g->O * K * sizeof(double)); \\
                double* col = (double*) malloc(K * nb * N * sizeof(double)); \\
                double* td = (double*) malloc(Og * nb * N * sizeof(double)); \\
                double* gd = (double*) malloc(nb * img * sizeof(double)); \\
                if (!wd || !col || !td || !gd) { free(wd); free(col); free(td); free(gd); return 1; } \\
                tsl_conv_filters_##S(wa, wd); \\
                for (int64_t b0 = 0; b0 < g->B; b0 += nb) { \\
                    const int64_t n = g->B - b0 < nb ? g->B - b0 : nb, ld = n * N; \\
                    memset(gd, 0, n * img * sizeof(double)); \\
                    for (int64_t grp = 0; grp < g->G; grp++) { \\
                        for (int64_t bi = 0; bi < n; bi++) tsl_conv_top_##S(ta, b0 + bi, grp * Og, Og, td + bi * N, ld); \\
                        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, ld, Og, 1, wd + grp * Og * K, K, td, ld, 0, col, ld); \\
                        for (int64_t bi = 0; bi < n; bi++) tsl_conv_col2im(g, col + bi * N, ld, grp, gd + bi * img); \\
                    } \\
                    T* d = gx + b0 * img; \\
                    for (int64_t q = 0; q < n * img; q++) d[q] = (T) gd[q]; \\
                } \\
                free(wd); free(col); free(td); free(gd); \\
                return 0; \\
            } \\
            /* gw = the adjoint of conv2d in its filters, from the input xa and the output gradient ta; gw fresh and contiguous */ \\
            static int tsl_conv_grad_weights_##S(const tsl_conv_g* g, const tsl_arr* xa, const tsl_arr* ta, T* gw) { \\
                const int64_t K = g->Cg * g->KH * g->KW, N = g->OH * g->OW, Og = g->O / g->G, nb = tsl_conv_block(g); \\
                if (g->O * K == 0) return 0; \\
                double* gd = (double*) calloc(g->O * K, sizeof(double)); \\
                double* col = (double*) malloc(K * nb * N * sizeof(double)); \\
                double* td = (double*) malloc(Og * nb * N * sizeof(double)); \\
                if (!gd || !col || !td) { free(gd); free(col); free(td); return 1; } \\
                for (int64_t b0 = 0; b0 < g->B; b0 += nb) { \\
                    const int64_t n = g->B - b0 < nb ? g->B - b0 : nb, ld = n * N; \\
                    for (int64_t grp = 0; grp < g->G; grp++) { \\
                        for (int64_t bi = 0; bi < n; bi++) { \\
                            tsl_conv_im2col_##S(g, (const T*) xa->data, xa->strides, b0 + bi, grp, col + bi * N, ld); \\
                            tsl_conv_top_##S(ta, b0 + bi, grp * Og, Og, td + bi * N, ld); \\
                        } \\
                        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Og, K, ld, 1, td, ld, col, ld, 1, gd + grp * Og * K, K); \\
                    } \\
                } \\
                for (int64_t q = 0; q < g->O * K; q++) gw[q] = (T) gd[q]; \\
                free(gd); free(col); free(td); \\
                return 0; \\
            }
            """;
}
