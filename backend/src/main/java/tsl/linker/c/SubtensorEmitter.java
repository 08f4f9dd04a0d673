package tsl.linker.c;

import tsl.graph.Apply;
import tsl.ops.subtensor.Subtensor;

/** Basic indexing {@code x[i, a:b:c, None]}: a view, its bounds constant or read from inputs. */
final class SubtensorEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Subtensor && BasicIndexCode.boundsReadable(node.inputs(), 1);
    }

    @Override
    public Storage storage(Apply node) {
        return Storage.VIEW;
    }

    @Override
    public void emit(Apply node, Emit e) {
        Subtensor op = (Subtensor) node.op();
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(node.input(0)) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        BasicIndexCode.view(e, "x", "(*o)", op.idx(), node.inputs().subList(1, node.inputs().size()),
                node.input(0).dtype().byteSize());
        e.line("}");
    }
}
