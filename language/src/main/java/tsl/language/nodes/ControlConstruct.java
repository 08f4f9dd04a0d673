package tsl.language.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;

/**
 * {@code scan(...)} or {@code ifelse(...)} written with the soft keyword: the loop and the lazy
 * condition of the language. The grammar gives them their own rule, so tools that walk the
 * tree see where a loop or a lazy branch starts; what they build is Theano's scan and
 * ifelse. The words stay ordinary names: when a program rebinds one ({@code def scan(...)},
 * {@code scan = ...}), the call goes to whatever the name holds, as any call would.
 */
public final class ControlConstruct extends ExprNode {
    private final String keyword;
    @Child private Exprs.Call call;

    public ControlConstruct(String keyword, Exprs.Call call) {
        this.keyword = keyword;
        this.call = call;
    }

    /** "scan" or "ifelse". */
    public String keyword() {
        return keyword;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        return call.execute(frame);
    }
}
