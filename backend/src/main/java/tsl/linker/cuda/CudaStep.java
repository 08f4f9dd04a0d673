package tsl.linker.cuda;

/** One node of a linked graph: computes its outputs from its inputs, on the device where it can. */
interface CudaStep {
    CudaValue[] run(CudaRun run, CudaValue[] in);
}
