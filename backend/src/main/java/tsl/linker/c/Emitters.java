package tsl.linker.c;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Variable;

/** The ops that have C code, and the code generator of each. */
final class Emitters {
    private static final List<NodeEmitter> ALL = List.of(new ElemwiseEmitter(), new ReduceEmitter(),
            new DimShuffleEmitter(), new ReshapeEmitter(), new OuterEmitter(), new DotEmitter(), new SoftmaxEmitter(),
            new ScanEmitter(), new IfElseEmitter(), new ScaledProductEmitter(), new FusedElemwiseEmitter(),
            new ShapeEmitter(), new SubtensorEmitter(), new AllocEmitter(), new IncSubtensorEmitter(), new JoinEmitter(),
            new SpecifyShapeEmitter(), new ArgmaxEmitter(), new AdvancedSubtensorEmitter(), new AdvancedIncSubtensorEmitter(),
            new ARangeEmitter(), new CumOpEmitter(), new EyeEmitter(), new RandomEmitter(),
            new PoolEmitter(), new GemvForwardBackwardEmitter(), new ConvEmitter(),
            new RepeatEmitter(), new SortEmitter(), new NonzeroEmitter(), new BatchedDotEmitter());

    private Emitters() {}

    /** The emitter for {@code node}, or null when it runs in Java. */
    static NodeEmitter of(Apply node) {
        for (Variable v : node.inputs()) {
            if (v.ndim() > Prelude.MAXDIM) {
                return null;
            }
        }
        for (Variable v : node.outputs()) {
            if (v.ndim() > Prelude.MAXDIM) {
                return null;
            }
        }
        for (NodeEmitter e : ALL) {
            if (e.supports(node)) {
                return e;
            }
        }
        return null;
    }

    static Storage storage(Apply node) {
        NodeEmitter e = of(node);
        return e == null ? Storage.OWN : e.storage(node);
    }
}
