/**
 * The plan graph as a stack rule sees it: unknown-safe resources with their Output-to-input edges, and
 * the lookups rules share ("which resource does this input name?").
 */
import type { PolicyResource, PolicyResourceOptions } from "@pulumi/policy";
import { snapshot } from "./unknowns";
import { asRecord, asStr } from "./values";

/** One stack resource, unknown-safe, with its dependency edges resolved. */
export interface Res {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    opts: PolicyResourceOptions;
    providerProps: Record<string, unknown> | undefined;
    parent: Res | undefined;
    /** Resources whose outputs flowed into input `key` (an Output-to-input edge; not `dependsOn`). */
    deps(key: string): Res[];
}

/** The stack as a rule sees it: typed lookups over `args.resources`. */
export class StackView {
    readonly resources: Res[];
    private readonly byUrn = new Map<string, Res>();

    constructor(resources: PolicyResource[]) {
        const wrapped = new Map<PolicyResource, Res>();
        const wrap = (r: PolicyResource): Res => {
            const existing = wrapped.get(r);
            if (existing) {
                return existing;
            }
            let props: Record<string, unknown> | undefined;
            let providerProps: Record<string, unknown> | undefined | null = null;
            const res: Res = {
                type: r.type,
                name: r.name,
                urn: r.urn,
                get props() {
                    return (props ??= asRecord(snapshot(r.props)));
                },
                opts: r.opts,
                get providerProps() {
                    if (providerProps === null) {
                        providerProps = r.provider ? asRecord(snapshot(r.provider.props)) : undefined;
                    }
                    return providerProps;
                },
                get parent() {
                    return r.parent ? wrap(r.parent) : undefined;
                },
                deps: (key: string) => {
                    const list = r.propertyDependencies?.[key];
                    return Array.isArray(list) ? list.map(wrap) : [];
                },
            };
            wrapped.set(r, res);
            return res;
        };
        this.resources = resources.map(wrap);
        for (const r of this.resources) {
            this.byUrn.set(r.urn, r);
        }
    }

    ofType(...types: string[]): Res[] {
        const set = new Set(types);
        return this.resources.filter((r) => set.has(r.type));
    }

    get(urn: string): Res | undefined {
        return this.byUrn.get(urn);
    }
}

/** True when `from` has an Output-to-input edge on `key` to `to`. */
export function linked(from: Res, key: string, to: Res): boolean {
    return from.deps(key).some((d) => d.urn === to.urn);
}

/**
 * How a literal input value (a physical name or ARN written in code instead of an Output) names a
 * resource of the stack.
 */
export type NameMatch = (literal: string, target: Res) => boolean;

/** A literal equal to the target's known `prop` (e.g. a bucket's `bucket`, a group's `name`). */
export function nameIs(prop: string): NameMatch {
    return (literal, target) => {
        const name = asStr(target.props[prop]);
        return typeof name === "string" && literal === name;
    };
}

/** A literal ARN ending in `<separator><target's prop>`, e.g. `:role/<name>`, `:<queue name>`. */
export function arnEndsWith(prop: string, separator: string): NameMatch {
    return (literal, target) => {
        const name = asStr(target.props[prop]);
        return typeof name === "string" && literal.endsWith(`${separator}${name}`);
    };
}

/** Either way of naming a resource. */
export function nameOrArn(prop: string, separator: string): NameMatch {
    const byName = nameIs(prop);
    const byArn = arnEndsWith(prop, separator);
    return (literal, target) => byName(literal, target) || byArn(literal, target);
}

/**
 * Whether `from`'s input `key` names `to`: an Output-to-input edge, else a literal string value that
 * `match` accepts. The one place the "Output edge, else literal name" rule is written.
 */
export function refersTo(from: Res, key: string, to: Res, match?: NameMatch): boolean {
    if (linked(from, key, to)) {
        return true;
    }
    const literal = asStr(from.props[key]);
    return match !== undefined && typeof literal === "string" && match(literal, to);
}

/**
 * The resources of `types` that `from`'s input `key` names: those it has an Output edge to, or, without
 * such an edge, those its literal value names.
 */
export function referencedBy(
    stack: StackView,
    from: Res,
    key: string,
    types: readonly string[],
    match: NameMatch,
): Res[] {
    const typeSet = new Set(types);
    const viaEdge = from.deps(key).filter((d) => typeSet.has(d.type));
    if (viaEdge.length > 0) {
        return viaEdge;
    }
    return stack.ofType(...types).filter((t) => refersTo(from, key, t, match));
}

/** The resources of `types` whose input `key` names `target` (see {@link refersTo}). */
export function attachedTo(
    stack: StackView,
    types: readonly string[],
    key: string,
    target: Res,
    match?: NameMatch,
): Res[] {
    return stack.ofType(...types).filter((r) => refersTo(r, key, target, match));
}
