/** %plot: shows a notebook value with the figure builder that fits it (see figure-of.ts). */
import { isFigure, staticFigureBundle, toMimeBundle, STATIC_FORMATS, type Figure, type HtmlTable, type StaticFormat } from "../plot";
import { defineMagic } from "./spec";
import { notebookValue } from "./notebook-vars";
import { figureOf, PLOT_KINDS, type PlotKind } from "./figure-of";

export const plotMagic = defineMagic<Figure | HtmlTable>({
  name: "plot",
  summary: "show a value inline: points -> scatter, images -> grid, number[] -> curve, model -> loss curve, figure, table",
  options: [
    { flags: "--kind <kind>", description: "how to show it (auto picks by type and shape)", default: "auto", choices: [...PLOT_KINDS] },
    { flags: "--title <text>", description: "figure title" },
    { flags: "--static", description: "add a still image to the output, for GitHub, nbviewer and readers without plotly.js (takes a second: Chromium renders it)" },
    { flags: "--format <format>", description: "format of the --static image", default: "svg", choices: [...STATIC_FORMATS] },
  ],
  args: [{ name: "var", description: "notebook variable (or {expr})", required: true }],
  help: "Examples: %plot x   %plot model --kind training   %plot {losses} --kind curve --title 'DSM loss'   %plot x --static --format png\nThe result (with --as) is the figure, or the table as given.",
  async run({ args, opts }, ctx) {
    const what = typeof args[0] === "string" ? `'${args[0]}'` : "the value";
    const value = notebookValue(ctx, "plot", "the variable", args[0]);
    const shown = figureOf(value, opts.kind as PlotKind, { title: opts.title as string | undefined, training: (value as { training?: { data?: never } } | null)?.training?.data }, "plot", what);
    const still = opts.static === true && isFigure(shown);
    ctx.display(still ? await staticFigureBundle(shown as Figure, { format: opts.format as StaticFormat }) : toMimeBundle(shown));
    return shown;
  },
});
