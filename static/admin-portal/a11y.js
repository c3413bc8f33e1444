"use strict";
// Names for the administration's controls that Django's admin draws without one (WCAG 4.1.2,
// 1.3.1), so that a screen reader says what each is for:
// - a control in a table (the editable columns of a list, a tabular inline) is named by its
//   column's header and, in a list, by the row's object: "Active Facebook";
// - a searchable drop-down (select2, for the autocomplete fields) is named by its field's label
//   or column header, not only by what is chosen (nothing, on an add form);
// - the help icon beside a filter box (filter_horizontal) is an image with a text, not a
//   <span> with an aria-label that nothing reads.
// The admin draws some of these after the page has loaded (select2, the filter boxes, a new
// inline row), so the names are given again whenever the page changes.
{
    let made = 0;

    function idOf(element, prefix) {
        if (!element.id) {
            made += 1;
            element.id = `${prefix}-${made}`;
        }
        return element.id;
    }

    function named(control) {
        return (control.labels && control.labels.length > 0) ||
            control.hasAttribute("aria-label") || control.hasAttribute("aria-labelledby");
    }

    // The header cell above `cell`, counting spanned columns.
    function headerOf(cell) {
        const table = cell.closest("table");
        const headerRow = table && table.tHead && table.tHead.rows[0];
        if (!headerRow) {
            return null;
        }
        let column = 0;
        for (const sibling of cell.parentElement.cells) {
            if (sibling === cell) {
                break;
            }
            column += sibling.colSpan;
        }
        let at = 0;
        for (const header of headerRow.cells) {
            if (column < at + header.colSpan) {
                // A list's header holds its sorting buttons too; the column's name is its text.
                const title = header.querySelector(".text") || header;
                return title.textContent.trim() ? title : null;
            }
            at += header.colSpan;
        }
        return null;
    }

    // What names the row: the object's link in a list (a <th> in Django's list), the object
    // itself in an inline row that holds one.
    function rowNameOf(cell) {
        const row = cell.parentElement;
        const name = row.querySelector("th") || row.querySelector("td.original p");
        return name && name.textContent.trim() ? name : null;
    }

    function nameTableControls(root) {
        const selector = "#result_list td, .tabular td";
        for (const cell of root.querySelectorAll(selector)) {
            const header = headerOf(cell);
            if (!header) {
                continue;
            }
            const parts = [idOf(header, "admin-column")];
            const rowName = rowNameOf(cell);
            if (rowName) {
                parts.push(idOf(rowName, "admin-row"));
            }
            for (const control of cell.querySelectorAll("input:not([type=hidden]), select, textarea")) {
                if (!named(control)) {
                    control.setAttribute("aria-labelledby", parts.join(" "));
                }
            }
        }
    }

    function nameSearchableSelects(root) {
        for (const selection of root.querySelectorAll(".select2-selection[role=combobox]")) {
            const container = selection.closest(".select2-container");
            const select = container && container.previousElementSibling;
            if (!select || select.tagName !== "SELECT" || selection.dataset.portalNamed) {
                continue;
            }
            let label = select.labels && select.labels[0];
            if (!label) {
                const cell = select.closest("td");
                label = cell && headerOf(cell);
            }
            if (!label && select.getAttribute("aria-labelledby")) {
                label = document.getElementById(select.getAttribute("aria-labelledby").split(" ")[0]);
            }
            if (label) {
                const chosen = selection.getAttribute("aria-labelledby");
                const ids = [idOf(label, "admin-label")];
                if (chosen) {
                    ids.push(chosen);
                }
                selection.setAttribute("aria-labelledby", ids.join(" "));
                selection.dataset.portalNamed = "1";
                // What is chosen, shown as a read-only text box inside: named by the label too
                // (select2 names it only by its title, which is empty until something is chosen).
                const rendered = chosen && document.getElementById(chosen);
                if (rendered && rendered.getAttribute("role") === "textbox" && !named(rendered)) {
                    rendered.setAttribute("aria-labelledby", ids[0]);
                }
            }
        }
    }

    function nameHelpIcons(root) {
        for (const icon of root.querySelectorAll("span.help-tooltip[aria-label]:not([role])")) {
            icon.setAttribute("role", "img");
        }
    }

    function nameAll() {
        nameTableControls(document);
        nameSearchableSelects(document);
        nameHelpIcons(document);
    }

    let pending = false;
    function soon() {
        if (!pending) {
            pending = true;
            requestAnimationFrame(() => {
                pending = false;
                nameAll();
            });
        }
    }

    document.addEventListener("DOMContentLoaded", () => {
        nameAll();
        new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
    });
    window.addEventListener("load", nameAll);
}
