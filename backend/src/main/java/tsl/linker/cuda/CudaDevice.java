package tsl.linker.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import tsl.graph.TslException;

/**
 * The one CUDA device this process uses (device 0, its primary context), through JCuda's
 * driver API. Opened on first use; when there is no driver or no GPU, every use is the same
 * clear "no CUDA device: ..." error and nothing else in TSL is affected. Device memory is
 * recycled through per-size free lists: cuMemAlloc/cuMemFree synchronize the device and
 * cost far more than a kernel launch.
 */
public final class CudaDevice {
    private static final Object INIT = new Object();
    private static volatile CudaDevice instance;
    private static volatile String unavailable;

    /** Serializes all device work: one stream, one context, callers from any thread. */
    final ReentrantLock lock = new ReentrantLock();
    private final CUcontext context;
    private final String name;
    private final int multiprocessors;
    private final int threadsPerMultiprocessor;
    private final long totalMemory;
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final Map<Long, ArrayDeque<DevicePointer>> freeLists = new HashMap<>();
    private final PtxCompiler compiler;
    final Residency residency = new Residency(b -> free(b.ptr, b.bytes));

    private CudaDevice(CUcontext context, String name, int multiprocessors, int threadsPerMultiprocessor, long totalMemory,
                       int major, int minor) {
        this.context = context;
        this.name = name;
        this.multiprocessors = multiprocessors;
        this.threadsPerMultiprocessor = threadsPerMultiprocessor;
        this.totalMemory = totalMemory;
        this.compiler = new PtxCompiler(major * 10 + minor);
    }

    /** The device, opening it on first use; a TslException "no CUDA device: ..." when there is none. */
    public static CudaDevice get() {
        CudaDevice d = instance;
        if (d != null) {
            return d;
        }
        synchronized (INIT) {
            if (instance == null && unavailable == null) {
                try {
                    instance = open();
                } catch (LinkageError e) {
                    unavailable = "the CUDA driver library could not be loaded (" + loadFailure(e) + ")";
                } catch (CudaException e) {
                    unavailable = e.getMessage();
                } catch (TslException e) {
                    unavailable = e.getMessage();
                }
            }
            if (instance == null) {
                throw new TslException("RuntimeError", "no CUDA device: " + unavailable);
            }
            return instance;
        }
    }

    /** The line of JCuda's long load report that says why: usually "libcuda.so.1: cannot open shared object file". */
    static String loadFailure(LinkageError e) {
        String why = String.valueOf(e.getMessage());
        String last = null;
        for (String line : why.split("\n")) {
            int at = line.indexOf("UnsatisfiedLinkError: ");
            if (at >= 0) {
                last = line.substring(at + "UnsatisfiedLinkError: ".length());
            }
        }
        if (last == null) {
            return why.lines().findFirst().orElse(why);
        }
        int so = last.indexOf(".so: ");
        return so >= 0 ? last.substring(so + ".so: ".length()) : last;
    }

    /** Whether a device can be opened (probes once). */
    public static boolean available() {
        try {
            get();
            return true;
        } catch (TslException e) {
            return false;
        }
    }

    private static CudaDevice open() {
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        int[] count = new int[1];
        JCudaDriver.cuDeviceGetCount(count);
        if (count[0] == 0) {
            throw new TslException("RuntimeError", "the CUDA driver reports no GPU");
        }
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, 0);
        byte[] nameBytes = new byte[256];
        JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, dev);
        String name = new String(nameBytes, StandardCharsets.US_ASCII).trim().replace("\0", "");
        int[] v = new int[1];
        JCudaDriver.cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev);
        int sms = v[0];
        JCudaDriver.cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR, dev);
        int threadsPerSm = v[0];
        JCudaDriver.cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
        int major = v[0];
        JCudaDriver.cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
        int minor = v[0];
        long[] mem = new long[1];
        JCudaDriver.cuDeviceTotalMem(mem, dev);
        // the primary context is the one the runtime API and libraries (cuBLAS) share
        CUcontext ctx = new CUcontext();
        JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev);
        JCudaDriver.cuCtxSetCurrent(ctx);
        return new CudaDevice(ctx, name, sms, threadsPerSm, mem[0], major, minor);
    }

    public String name() { return name; }
    public int multiprocessors() { return multiprocessors; }
    public int threadsPerMultiprocessor() { return threadsPerMultiprocessor; }
    public long totalMemory() { return totalMemory; }
    PtxCompiler compiler() { return compiler; }

    /** Makes the context current on the calling thread; callers hold {@link #lock}. */
    void enter() {
        lock.lock();
        JCudaDriver.cuCtxSetCurrent(context);
    }

    void exit() {
        lock.unlock();
    }

    /** The kernel {@code entry} of the module compiled from {@code source}, compiled and loaded once. */
    CUfunction function(String source, String entry) {
        String key = entry + "\0" + source;
        CUfunction f = functions.get(key);
        if (f == null) {
            CUmodule module = modules.get(source);
            if (module == null) {
                byte[] ptx = compiler.ptx(source);
                module = new CUmodule();
                byte[] z = new byte[ptx.length + 1]; // the driver reads PTX as a NUL-terminated string
                System.arraycopy(ptx, 0, z, 0, ptx.length);
                JCudaDriver.cuModuleLoadData(module, z);
                modules.put(source, module);
            }
            f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, module, entry);
            functions.put(key, f);
        }
        return f;
    }

    /** Launches a 1-D grid; {@code params} are the kernel's arguments, each a Pointer to its value. */
    void launch(CUfunction f, int grid, int block, int sharedBytes, Pointer... params) {
        JCudaDriver.cuLaunchKernel(f, Math.max(1, grid), 1, 1, block, 1, 1, sharedBytes, null, Pointer.to(params), null);
    }

    void launch2d(CUfunction f, int gridX, int gridY, int block, Pointer... params) {
        JCudaDriver.cuLaunchKernel(f, gridX, gridY, 1, block, 1, 1, 0, null, Pointer.to(params), null);
    }

    /** A grid wide enough to cover {@code n} items with grid-stride loops, capped to keep every SM busy. */
    int gridFor(long n, int block) {
        long blocks = (n + block - 1) / block;
        return (int) Math.max(1, Math.min(blocks, (long) multiprocessors * 32));
    }

    /** Blocks of {@code threads} the whole device holds at once at full occupancy (one wave). */
    int residentBlocks(int threads) {
        return multiprocessors * Math.max(1, threadsPerMultiprocessor / threads);
    }

    void synchronize() {
        JCudaDriver.cuCtxSynchronize();
    }

    // ------------------------------------------------------------------ memory

    DevicePointer alloc(long bytes) {
        long size = roundUp(Math.max(bytes, 1));
        ArrayDeque<DevicePointer> list = freeLists.get(size);
        if (list != null && !list.isEmpty()) {
            return list.pop();
        }
        DevicePointer p = new DevicePointer();
        try {
            JCudaDriver.cuMemAlloc(p, size);
        } catch (CudaException e) {
            if (!e.getMessage().contains(CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY))) {
                throw e;
            }
            // out of memory: give back what the caches hold and what the GC can release, then retry once
            synchronize();
            releaseCached();
            System.gc();
            residency.drain();
            releaseCached();
            try {
                JCudaDriver.cuMemAlloc(p, size);
            } catch (CudaException again) {
                throw new TslException("MemoryError", "CUDA out of memory allocating " + size + " bytes on " + name);
            }
        }
        return p;
    }

    void free(DevicePointer p, long bytes) {
        freeLists.computeIfAbsent(roundUp(Math.max(bytes, 1)), k -> new ArrayDeque<>()).push(p);
    }

    private void releaseCached() {
        residency.evictAll();
        for (ArrayDeque<DevicePointer> list : freeLists.values()) {
            for (DevicePointer p : list) {
                JCudaDriver.cuMemFree(p);
            }
            list.clear();
        }
    }

    /** Sizes are rounded so that buffers of similar size share a free list (1/8 granularity above 1 MiB). */
    private static long roundUp(long bytes) {
        if (bytes <= 1 << 20) {
            return (bytes + 511) & ~511L;
        }
        long unit = Long.highestOneBit(bytes) >> 3;
        return (bytes + unit - 1) / unit * unit;
    }

    /** Copies {@code bytes} from host memory to the device. Host segments of the Java heap are staged off-heap. */
    void upload(CUdeviceptr dst, MemorySegment src, long bytes) {
        MemorySegment s = src.isNative() ? src : Arena.ofAuto().allocate(bytes, 16).copyFrom(src.asSlice(0, bytes));
        for (long done = 0; done < bytes; ) {
            long n = Math.min(bytes - done, 1L << 30);
            JCudaDriver.cuMemcpyHtoD(dst.withByteOffset(done), Pointer.to(s.asSlice(done, n).asByteBuffer()), n);
            done += n;
        }
    }

    void download(MemorySegment dst, CUdeviceptr src, long bytes) {
        for (long done = 0; done < bytes; ) {
            long n = Math.min(bytes - done, 1L << 30);
            JCudaDriver.cuMemcpyDtoH(Pointer.to(dst.asSlice(done, n).asByteBuffer()), src.withByteOffset(done), n);
            done += n;
        }
    }
}
