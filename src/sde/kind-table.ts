/**
 * The SDE kinds by name: what `makeSDE`, the magics' `--sde` choices, `%name?` help and checkpoints read. A new kind
 * is a file under kinds/, a row here and its name in the SDEKind union (types.ts).
 */
import { VP_KIND } from "./kinds/vp";
import { VE_KIND } from "./kinds/ve";
import { SUBVP_KIND } from "./kinds/subvp";
import type { SDEKindSpec } from "./kinds/kind";
import type { SDEKind } from "./types";

export type { SDEKindSpec };

export const SDE_KIND_TABLE = { vp: VP_KIND, ve: VE_KIND, subvp: SUBVP_KIND } satisfies Record<SDEKind, SDEKindSpec>;

/** The kinds' names, in table order: the `--sde` choices. */
export const SDE_KIND_NAMES = Object.keys(SDE_KIND_TABLE) as SDEKind[];
