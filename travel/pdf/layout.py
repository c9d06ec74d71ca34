"""Fixed-form layout drawn straight on the canvas: ruled grids of text cells measured with the font
metrics and painted in one PDF text object per grid.

ReportLab's ``Table`` and ``Paragraph`` spend most of the time of a form made of many small cells (the
SPPD: items 1–10, visum blocks, signature blocks) in generic machinery: markup parsing, per-cell style
objects, nested tables wrapped twice, a text object per string. The forms need far less: text that
wraps at spaces like a paragraph (a word longer than its column is broken), explicit line breaks,
left/centre/right/justified lines, a bold or underlined line via its style, blank gaps, nested grids,
column spans, fixed row heights, a shaded header row and splitting between rows across pages. Text is
drawn verbatim (no markup), so values need no escaping.

Blocks (``Text``, ``Gap``, ``Grid``) share two methods: ``measure(width) -> height`` lays the block out
for ``width``; ``paint(painter, x, top)`` draws it with its top edge at ``top``. A ``Grid`` is also a
platypus ``Flowable``. Like ReportLab's plain-string table cells, the first baseline of a text sits
one font size below the top edge and each further line one leading lower.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable
from reportlab.platypus.paragraph import split as split_words  # whitespace as Paragraph: not nbsp

LEFT, CENTER, RIGHT, JUSTIFY = "left", "center", "right", "justify"
UNDERLINE_OFFSET = 0.125  # × font size below the baseline, as ReportLab's paragraphs
_FUZZ = 1e-6


class TextStyle(NamedTuple):
    font: str
    size: float
    leading: float


# --- Text ------------------------------------------------------------------------------------------


def _break_word(word: str, style: TextStyle, room: float, width: float) -> list[tuple[str, float]]:
    """A word wider than a line in pieces, as ReportLab's ``splitLongWords``: the first piece fills
    the ``room`` left on the current line (it may be empty), the others whole lines of ``width``."""
    pieces: list[tuple[str, float]] = []
    piece, used = "", 0.0
    for char in word:
        char_w = stringWidth(char, style.font, style.size)
        if used + char_w > room + _FUZZ and (piece or char_w <= width):
            pieces.append((piece, used))
            piece, used, room = "", 0.0, width
        piece += char
        used += char_w
    pieces.append((piece, used))
    return pieces


def wrap_text(text: str, style: TextStyle, width: float) -> tuple[list[str], list[float], list[bool]]:
    """Lines of ``text`` within ``width``: the lines, their widths and whether each one was broken
    (a justified text stretches broken lines, not the last line of a paragraph).

    Explicit newlines are kept; a line that fits is kept verbatim, a longer one is broken at spaces
    (runs of spaces collapse and a no-break space holds, like a paragraph)."""
    font, size = style.font, style.size
    lines: list[str] = []
    widths: list[float] = []
    broken: list[bool] = []
    for para in text.split("\n"):
        para_w = stringWidth(para, font, size)
        if para_w <= width + _FUZZ:
            lines.append(para)
            widths.append(para_w)
            broken.append(False)
            continue
        space = stringWidth(" ", font, size)
        current: list[str] = []
        current_w = 0.0
        for word in split_words(para):
            if not word:
                continue
            word_w = stringWidth(word, font, size)
            if current and current_w + space + word_w <= width + _FUZZ:
                current.append(word)
                current_w += space + word_w
                continue
            if word_w > width + _FUZZ:  # a word longer than a line: broken across lines
                room = width - current_w - space if current else width
                pieces = _break_word(word, style, room, width)
                first, first_w = pieces[0]
                if first:
                    current_w = current_w + space + first_w if current else first_w
                    current.append(first)
                for piece, piece_w in pieces[1:]:
                    lines.append(" ".join(current))
                    widths.append(current_w)
                    broken.append(True)
                    current, current_w = [piece], piece_w
                continue
            if current:
                lines.append(" ".join(current))
                widths.append(current_w)
                broken.append(True)
            current, current_w = [word], word_w
        lines.append(" ".join(current))
        widths.append(current_w)
        broken.append(False)
    return lines, widths, broken


class Text:
    """A text block: wraps to its width; ``\\n`` breaks lines; an empty text still takes one line."""

    __slots__ = ("align", "broken", "lines", "style", "text", "underline", "width", "widths")

    def __init__(self, text: Any, style: TextStyle, *, align: str = LEFT, underline: bool = False) -> None:
        self.text = "" if text is None else str(text)
        self.style = style
        self.align = align
        self.underline = underline

    def measure(self, width: float) -> float:
        self.width = width
        self.lines, self.widths, self.broken = wrap_text(self.text, self.style, width)
        return len(self.lines) * self.style.leading

    def paint(self, painter: Painter, x: float, top: float) -> None:
        style, align = self.style, self.align
        y = top - style.size
        if align == LEFT and not self.underline:
            painter.text_lines(x, y, self.lines, style)
            return
        for line, line_w, broken in zip(self.lines, self.widths, self.broken, strict=True):
            word_space = 0.0
            left = x
            if align == CENTER:
                left = x + (self.width - line_w) / 2
            elif align == RIGHT:
                left = x + self.width - line_w
            elif align == JUSTIFY and broken and line.count(" "):
                word_space = (self.width - line_w) / line.count(" ")
                line_w = self.width
            painter.text_lines(left, y, [line], style, word_space)
            if self.underline and line:
                under = y - UNDERLINE_OFFSET * style.size
                painter.stroke(left, under, left + line_w, under, colors.black, 1)
            y -= style.leading


class Gap:
    """Blank vertical space."""

    __slots__ = ("height",)

    def __init__(self, height: float) -> None:
        self.height = height

    def measure(self, width: float) -> float:
        return self.height

    def paint(self, painter: Painter, x: float, top: float) -> None:
        return None


# --- Painting --------------------------------------------------------------------------------------


class Painter:
    """Collects what a grid draws — shaded rectangles, text lines, rules — and emits it in that order:
    all text in one text object, all rules of one colour and width in one path."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.text = canvas.beginText()
        self.text.setFillColor(colors.black)
        self._style: TextStyle | None = None
        self._word_space = 0.0
        self._next: tuple[float, float] | None = None
        self.fills: list[tuple[Any, float, float, float, float]] = []
        self.strokes: dict[tuple[Any, float], list[tuple[float, float, float, float]]] = {}

    def text_lines(
        self, x: float, y: float, lines: Sequence[str], style: TextStyle, word_space: float = 0.0
    ) -> None:
        """``lines`` from the baseline ``y`` down, one leading apart."""
        text = self.text
        if style != self._style:
            text.setFont(style.font, style.size, style.leading)
            self._style = style
        if word_space != self._word_space:
            text.setWordSpace(word_space)
            self._word_space = word_space
        # After a line the cursor sits one leading lower: a text that goes on right there (the
        # next line of a signature block) needs no new origin.
        at = self._next
        if at is None or abs(at[0] - x) > _FUZZ or abs(at[1] - y) > _FUZZ:
            text.setTextOrigin(x, y)
        for line in lines:
            text.textLine(line)
        self._next = (x, y - len(lines) * style.leading)

    def fill(self, x: float, y: float, width: float, height: float, color: Any) -> None:
        self.fills.append((color, x, y, width, height))

    def stroke(self, x1: float, y1: float, x2: float, y2: float, color: Any, width: float) -> None:
        self.strokes.setdefault((color, width), []).append((x1, y1, x2, y2))

    def flush(self) -> None:
        canvas = self.canvas
        for color, x, y, width, height in self.fills:
            canvas.setFillColor(color)
            canvas.rect(x, y, width, height, stroke=0, fill=1)
        canvas.drawText(self.text)
        if self.strokes:
            canvas.setLineCap(1)
            canvas.setLineJoin(1)
            for (color, width), segments in self.strokes.items():
                canvas.setStrokeColor(color)
                canvas.setLineWidth(width)
                canvas.lines(segments)


# --- Grid ------------------------------------------------------------------------------------------


class Cell:
    """Grid cell content (text, a block or a list of blocks) spanning ``span`` columns."""

    __slots__ = ("blocks", "content", "span")

    def __init__(self, content: Any, span: int = 1) -> None:
        self.content = content
        self.span = span
        self.blocks: list[Any] = []


def span(content: Any, columns: int) -> Cell:
    """``content`` (text, a block or blocks) spanning ``columns`` columns."""
    return Cell(content, columns)


def _blocks(content: Any, style: TextStyle) -> list[Any]:
    if isinstance(content, list | tuple):
        return list(content)
    if content is None or isinstance(content, str):
        return [Text(content, style)]
    return [content]


class Grid(Flowable):
    """A grid of cells with fixed column widths; optionally ruled (``rule`` colour), with a shaded
    header (``shade``) and fixed row heights (``heights``, ``None`` = fit the content).

    Cells are text (in ``style``, or ``header_style`` in the first ``header_rows`` rows), a block, a
    list of blocks or a ``Cell``/``span(...)`` spanning columns. ``padding`` is (left, right, top,
    bottom) inside every cell. As a flowable it splits between rows, repeating the header rows.
    """

    def __init__(
        self,
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        style: TextStyle,
        padding: tuple[float, float, float, float] = (0, 0, 0, 0),
        rule: Any = None,
        rule_width: float = 0.5,
        heights: Sequence[float | None] | None = None,
        header_rows: int = 0,
        header_style: TextStyle | None = None,
        shade: Any = None,
        hAlign: str = "LEFT",
        space_before: float = 0,
    ) -> None:
        super().__init__()
        self.widths = list(widths)
        self.padding = padding
        self.rule = rule
        self.rule_width = rule_width
        self.header_rows = header_rows
        self.shade = shade
        self.hAlign = hAlign
        self.spaceBefore = space_before
        self.rows: list[list[Cell]] = []
        for index, row in enumerate(rows):
            cell_style = header_style if index < header_rows and header_style else style
            cells = [value if isinstance(value, Cell) else Cell(value) for value in row]
            for cell in cells:
                cell.blocks = _blocks(cell.content, cell_style)
            if sum(cell.span for cell in cells) != len(self.widths):
                raise ValueError(f"row {index} does not fill {len(self.widths)} columns")
            self.rows.append(cells)
        self.fixed = list(heights) if heights is not None else [None] * len(self.rows)
        self.row_heights: list[float] | None = None
        self.width = sum(self.widths)
        self.height = 0.0

    # --- layout ---

    def _layout(self) -> None:
        if self.row_heights is not None:
            return
        left, right, top, bottom = self.padding
        heights = []
        for cells, fixed in zip(self.rows, self.fixed, strict=True):
            tallest = 0.0
            column = 0
            for cell in cells:
                width = sum(self.widths[column : column + cell.span]) - left - right
                column += cell.span
                tallest = max(tallest, sum(block.measure(width) for block in cell.blocks))
            heights.append(tallest + top + bottom if fixed is None else fixed)
        self.row_heights = heights
        self.height = sum(heights)

    def measure(self, width: float) -> float:
        self._layout()
        return self.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._layout()
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._layout()
        assert self.row_heights is not None
        if self.height <= availHeight + _FUZZ:
            return [self]
        used, fit = 0.0, 0
        for height in self.row_heights:
            if used + height > availHeight + _FUZZ:
                break
            used += height
            fit += 1
        head = self.header_rows
        if fit <= head:
            return []
        rest = list(range(head)) + list(range(fit, len(self.rows)))
        return [self._part(list(range(fit))), self._part(rest, space_before=0)]

    def _part(self, indexes: list[int], space_before: float | None = None) -> Grid:
        assert self.row_heights is not None
        part = Grid.__new__(Grid)
        Flowable.__init__(part)
        part.__dict__.update(
            {k: v for k, v in self.__dict__.items() if k not in ("canv", "_frame")},
        )
        part.rows = [self.rows[i] for i in indexes]
        part.fixed = [self.fixed[i] for i in indexes]
        part.row_heights = [self.row_heights[i] for i in indexes]
        part.height = sum(part.row_heights)
        if space_before is not None:
            part.spaceBefore = space_before
        return part

    # --- drawing ---

    def draw(self) -> None:
        painter = Painter(self.canv)
        self.paint(painter, 0, self.height)
        painter.flush()

    def paint(self, painter: Painter, x: float, top: float) -> None:
        self._layout()
        assert self.row_heights is not None
        left, _right, pad_top, _bottom = self.padding
        bottom = top - self.height
        if self.shade is not None and self.header_rows:
            shaded = sum(self.row_heights[: self.header_rows])
            painter.fill(x, top - shaded, self.width, shaded, self.shade)
        edges = [x]
        for width in self.widths:
            edges.append(edges[-1] + width)
        row_top = top
        # Inner vertical rules: column edge -> [start_y, end_y] of the current run of rows.
        runs: dict[int, list[float]] = {}
        vertical: list[tuple[float, float, float, float]] = []
        for cells, height in zip(self.rows, self.row_heights, strict=True):
            column = 0
            present = set()
            for cell in cells:
                y = row_top - pad_top
                cell_x = edges[column] + left
                for block in cell.blocks:
                    block.paint(painter, cell_x, y)
                    y -= _height(block)
                column += cell.span
                present.add(column)
            row_bottom = row_top - height
            if self.rule is not None:
                for edge in range(1, len(self.widths)):
                    if edge in present:
                        runs.setdefault(edge, [row_top, row_bottom])[1] = row_bottom
                    elif edge in runs:
                        start, end = runs.pop(edge)
                        vertical.append((edges[edge], start, edges[edge], end))
            row_top = row_bottom
        if self.rule is None:
            return
        for edge, (start, end) in sorted(runs.items()):
            vertical.append((edges[edge], start, edges[edge], end))
        right_x = edges[-1]
        rule, width = self.rule, self.rule_width
        y = top
        for height in [0.0, *self.row_heights]:
            y -= height
            painter.stroke(x, y, right_x, y, rule, width)
        painter.stroke(x, top, x, bottom, rule, width)
        painter.stroke(right_x, top, right_x, bottom, rule, width)
        for segment in vertical:
            painter.stroke(*segment, rule, width)


def _height(block: Any) -> float:
    """Height of a measured block."""
    if isinstance(block, Text):
        return len(block.lines) * block.style.leading
    return block.height  # a Gap, or a Grid after its layout
