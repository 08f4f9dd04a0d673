package tsl.language.nodes;

import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.SourceSection;

import tsl.language.TslLanguage;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.TslError;

/**
 * The root of a def, lambda, class body or module: copies the bound arguments (frame
 * arguments 1..n) into the first local slots, runs the body and returns its value.
 */
public final class FunctionRoot extends RootNode {
    private final String name;
    private final int nParams;
    private final SourceSection section;
    @Child private TslNode body;
    private final boolean expressionBody;
    private final boolean isModule;

    public FunctionRoot(TslLanguage language, FrameDescriptor descriptor, String name, int nParams, TslNode body,
                        boolean expressionBody, SourceSection section) {
        super(language, descriptor);
        this.name = name;
        this.nParams = nParams;
        this.body = body;
        this.expressionBody = expressionBody;
        this.section = section;
        this.isModule = name.equals("<module>");
    }

    @Override
    @ExplodeLoop
    public Object execute(VirtualFrame frame) {
        Object[] args = frame.getArguments();
        for (int i = 0; i < nParams; i++) {
            frame.setObject(i, args[i + 1]);
        }
        try {
            Object r = body.execute(frame);
            return expressionBody ? r : PyNone.NONE;
        } catch (ControlFlow.Return ret) {
            return ret.value;
        } catch (StackOverflowError e) {
            throw TslError.of("RecursionError", "maximum recursion depth exceeded");
        } finally {
            if (isModule) {
                tsl.language.TslContext.get(this).out().flush();
            }
        }
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public SourceSection getSourceSection() {
        return section;
    }

    @Override
    public String toString() {
        return name;
    }
}
