/**
 * Tolerant readers over unknown-safe snapshots: three-valued answers (true, false, UNKNOWN) and the
 * presence convention (an unknown counts as set; see unknowns.ts).
 */
import { at, Tri, UNKNOWN, Unknown } from "./unknowns";

// ------------------------------------------------------------------------------------------------
// Tolerant readers: programs (and hand-written plans) pass "true" for true and "7" for 7.
// ------------------------------------------------------------------------------------------------

export function asBool(v: unknown): boolean | undefined | Unknown {
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof v === "boolean") {
        return v;
    }
    if (typeof v === "string") {
        const s = v.trim().toLowerCase();
        if (s === "true") {
            return true;
        }
        if (s === "false") {
            return false;
        }
    }
    return undefined;
}

export function asNum(v: unknown): number | undefined | Unknown {
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof v === "number" && Number.isFinite(v)) {
        return v;
    }
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) {
        return Number(v);
    }
    return undefined;
}

export function asStr(v: unknown): string | undefined | Unknown {
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof v === "string") {
        return v;
    }
    if (typeof v === "number" || typeof v === "boolean") {
        return String(v);
    }
    return undefined;
}

/** An input list: absent → [], a lone value → [value] (lenient with hand-written inputs). */
export function asList(v: unknown): unknown[] | Unknown {
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    if (v === undefined || v === null) {
        return [];
    }
    return Array.isArray(v) ? v : [v];
}

/** Presence: UNKNOWN counts as set (see the convention at the top of this file). */
export function isPresent(v: unknown): boolean {
    if (v === UNKNOWN) {
        return true;
    }
    if (v === undefined || v === null) {
        return false;
    }
    if (typeof v === "string") {
        return v.trim() !== "";
    }
    if (Array.isArray(v)) {
        return v.length > 0;
    }
    return true;
}

export function isTrue(v: unknown): Tri {
    const b = asBool(v);
    return b === UNKNOWN ? UNKNOWN : b === true;
}

/** `x !== true`, tolerant of "true"; UNKNOWN stays unknown. */
export function isNotTrue(v: unknown): Tri {
    const b = asBool(v);
    return b === UNKNOWN ? UNKNOWN : b !== true;
}

/** Compares a string case-insensitively with any of `allowed`. */
export function strIn(v: unknown, allowed: readonly string[]): Tri {
    const s = asStr(v);
    if (s === UNKNOWN) {
        return UNKNOWN;
    }
    return s !== undefined && allowed.some((a) => a.toLowerCase() === s.toLowerCase());
}

export function atLeast(v: unknown, min: number): Tri {
    const n = asNum(v);
    if (n === UNKNOWN) {
        return UNKNOWN;
    }
    return n !== undefined && n >= min;
}

/** Three-valued AND. */
export function allOf(values: Tri[]): Tri {
    if (values.some((v) => v === false)) {
        return false;
    }
    return values.some((v) => v === UNKNOWN) ? UNKNOWN : true;
}

/** Three-valued OR. */
export function anyOf(values: Tri[]): Tri {
    if (values.some((v) => v === true)) {
        return true;
    }
    return values.some((v) => v === UNKNOWN) ? UNKNOWN : false;
}

/** A tag's value, UNKNOWN when the tag map itself is unknown. */
export function tagOf(props: unknown, key: string): string | undefined | Unknown {
    return asStr(at(props, "tags", key));
}

/** Renders a scalar for a message without dumping whole objects. */
export function show(v: unknown): string {
    if (v === UNKNOWN) {
        return "(unknown)";
    }
    if (v === undefined) {
        return "unset";
    }
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** A plain object view of a value (anything else reads as empty). */
export function asRecord(v: unknown): Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
