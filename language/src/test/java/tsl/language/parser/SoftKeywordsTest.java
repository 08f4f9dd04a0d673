package tsl.language.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.antlr.v4.runtime.tree.ParseTree;
import org.junit.jupiter.api.Test;

import tsl.grammar.TslParser;

/** scan and ifelse start their constructs only when a '(' follows them; elsewhere they are names. */
class SoftKeywordsTest {

    private static List<String> constructs(String code) {
        TslParser.File_inputContext tree = Parsing.parseFile(com.oracle.truffle.api.source.Source.newBuilder("tsl", code, "t.tsl").build());
        List<String> found = new ArrayList<>();
        walk(tree, found);
        return found;
    }

    private static void walk(ParseTree t, List<String> found) {
        if (t instanceof TslParser.Control_callContext c) {
            found.add(c.keyword.getText());
        }
        for (int i = 0; i < t.getChildCount(); i++) {
            walk(t.getChild(i), found);
        }
    }

    @Test
    void callsAreConstructs() {
        assertEquals(List.of("scan", "ifelse"), constructs("r, u = scan(f, sequences=x)\ny = ifelse(c, a, b)\n"));
        assertEquals(List.of("ifelse", "scan"), constructs("print(ifelse(c, scan(f, n_steps=3)[0], b).ndim)\n"));
    }

    @Test
    void theWordsStayNames() {
        assertEquals(List.of(), constructs("scan = 5\nprint(scan + 1)\nscanner(1)\nifelse_x(2)\n"));
        assertEquals(List.of(), constructs("def scan(a):\n    return a\nclass ifelse(object):\n    pass\n"));
        assertEquals(List.of(), constructs("r = theano.scan(f, sequences=x)\nfrom theano.ifelse import ifelse\n"));
        assertEquals(List.of(), constructs("f = scan\ng = lambda scan: scan\nh(scan=1, ifelse=2)\n"));
    }
}
