// The house style (src/plot/style.ts): palette, role colours, font, margins and axis look shared by every builder.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { PALETTE, ROLE_COLORS, FONT, MARGIN, WIDTH, HEIGHT, seriesColor, axis, baseLayout } from "../../src/plot/style";

test("seriesColor walks the Okabe–Ito palette and wraps around, negative indices included", () => {
  assert.equal(PALETTE.length, 8);
  assert.equal(new Set(PALETTE).size, 8, "eight distinct colours");
  assert.deepEqual([0, 1, 7].map(seriesColor), [PALETTE[0], PALETTE[1], PALETTE[7]]);
  assert.equal(seriesColor(8), PALETTE[0]);
  assert.equal(seriesColor(17), PALETTE[1]);
  assert.equal(seriesColor(-1), PALETTE[7]);
  // Roles are fixed palette entries, so "reference" looks the same in every figure.
  assert.deepEqual([ROLE_COLORS.samples, ROLE_COLORS.reference, ROLE_COLORS.training, ROLE_COLORS.test], PALETTE.slice(0, 4));
});

test("axis and baseLayout: titled axes in the house look; extras override and add, and the constants are copied", () => {
  const a = axis("step", { type: "log", zeroline: true });
  assert.deepEqual(a, { title: { text: "step" }, showline: true, linecolor: "#888888", ticks: "outside", gridcolor: "#eeeeee", zeroline: true, type: "log" });
  const l = baseLayout("DSM loss", "step", "loss", { yaxis: { type: "log" }, barmode: "group" });
  assert.deepEqual(l.title, { text: "DSM loss", x: 0.5, xanchor: "center" });
  assert.deepEqual(l.font, { ...FONT });
  assert.deepEqual(l.margin, { ...MARGIN });
  assert.deepEqual([l.width, l.height], [WIDTH, HEIGHT]);
  assert.deepEqual(l.colorway, [...PALETTE]);
  assert.deepEqual((l.xaxis as { title: unknown }).title, { text: "step" });
  assert.equal((l.yaxis as { type: string }).type, "log");
  assert.equal(l.barmode, "group");
  // A builder that edits its layout must not change the next figure's.
  (l.font as { size: number }).size = 99;
  assert.equal((baseLayout("t", "x", "y").font as { size: number }).size, FONT.size);
});
