package tsl.linker.cuda;

import java.util.Arrays;

import jcuda.driver.CUdeviceptr;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * A tensor in device memory: like {@link NDArray}, a dtype, shape, strides and offset (both
 * in elements) over a buffer, so transposes and broadcasts are views, not copies.
 */
record DeviceArray(DType dtype, int[] shape, long[] strides, long offset, Buffer buffer) {

    /** A device allocation; {@code owner} decides when it is given back. */
    static final class Buffer {
        final DevicePointer ptr;
        final long bytes;

        Buffer(DevicePointer ptr, long bytes) {
            this.ptr = ptr;
            this.bytes = bytes;
        }
    }

    long size() {
        return NDArray.sizeOf(shape);
    }

    int ndim() {
        return shape.length;
    }

    /** The first element, for memory copies and library calls. */
    CUdeviceptr pointer() {
        return offset == 0 ? buffer.ptr : buffer.ptr.withByteOffset(offset * dtype.byteSize());
    }

    /** The device address of the first element. */
    long address() {
        return buffer.ptr.address() + offset * dtype.byteSize();
    }

    /** The first element as a kernel argument: its device address in a 64-bit slot. */
    jcuda.Pointer arg() {
        return jcuda.Pointer.to(new long[] {address()});
    }

    boolean isContiguous() {
        return size() <= 1 || Arrays.equals(strides, NDArray.contiguousStrides(shape));
    }

    DeviceArray view(int[] newShape, long[] newStrides) {
        return new DeviceArray(dtype, newShape, newStrides, offset, buffer);
    }
}
