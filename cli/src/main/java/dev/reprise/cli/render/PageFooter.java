package dev.reprise.cli.render;

import dev.reprise.cli.client.Page;
import java.util.Optional;

/** The line under a list that says where this page sits, when the list does not fit on one page. */
final class PageFooter {

    private PageFooter() {
    }

    static Optional<String> of(Page<?> page, String noun) {
        long first = (long) page.page() * page.size() + 1;
        long last = first + page.items().size() - 1;
        if (page.items().isEmpty()) {
            return Optional.of(page.total() == 0
                    ? "No " + noun + " found."
                    : "No " + noun + " on page " + page.page() + "; there are " + page.total() + " " + noun + ".");
        }
        if (page.items().size() >= page.total()) {
            return Optional.empty();
        }
        String shown = "Showing " + first + "-" + last + " of " + page.total() + " " + noun + ".";
        return Optional.of(page.hasNext() ? shown + " Next page: --page " + (page.page() + 1) : shown);
    }
}
