package dev.rollout.phaseengine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.CustomNode;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** A report's Markdown as a Markdown parser (CommonMark with GitHub's tables) reads it: every table a table. */
final class MarkdownCheck {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());

    private MarkdownCheck() {
    }

    static void rendersCleanly(String markdown) {
        Node document = Parser.builder().extensions(EXTENSIONS).build().parse(markdown);
        String html = HtmlRenderer.builder().extensions(EXTENSIONS).build().render(document);
        assertThat(html).as("a table row outside a table (a broken table):\n" + markdown).doesNotContain("<p>|");
        assertThat(html).as("unbalanced emphasis").doesNotContain("**");
        long tableLines = markdown.lines().filter(l -> l.startsWith("|") && !l.startsWith("|---")).count();
        long[] rows = { 0 };
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(CustomNode node) {
                if (node instanceof TableRow) {
                    rows[0]++;
                }
                visitChildren(node);
            }
        });
        assertThat(rows[0]).as("every table line a row of a table").isEqualTo(tableLines);
        String[] lines = markdown.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].startsWith("|---")) {
                int columns = cells(lines[i - 1]);
                for (int k = i + 1; k < lines.length && lines[k].startsWith("|"); k++) {
                    assertThat(cells(lines[k])).as("cells of: " + lines[k]).isEqualTo(columns);
                }
            }
        }
    }

    private static int cells(String row) {
        return row.replace("\\|", "").split("\\|", -1).length - 2;
    }
}
