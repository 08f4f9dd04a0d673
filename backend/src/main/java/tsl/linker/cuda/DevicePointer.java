package tsl.linker.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A device allocation whose raw address can be read. Kernel arguments are passed as that
 * address (plus the view's byte offset) in a plain 64-bit slot, which is exactly what a
 * pointer parameter is, so no binding-specific offset handling is involved.
 */
final class DevicePointer extends CUdeviceptr {
    long address() {
        return getNativePointer();
    }
}
