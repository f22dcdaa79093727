/**
 * ECS task definitions and clusters, read the same way by every rule that looks at them.
 */
import { Findings } from "./findings";
import type { Res } from "./stack-view";
import { hasUnknownSentinel, peek, Tri, UNKNOWN, Unknown } from "./unknowns";
import { anyOf, asList, asStr, strIn } from "./values";

/** Container Insights setting of a cluster: enabled/enhanced → true. */
export function containerInsightsOn(cluster: Res | { props: Record<string, unknown> }): Tri {
    const settings = asList(cluster.props.settings);
    if (settings === UNKNOWN) {
        return UNKNOWN;
    }
    return anyOf(
        settings.map((s) => {
            const name = asStr(peek(s, "name"));
            if (name === UNKNOWN) {
                return UNKNOWN;
            }
            return name === "containerInsights" ? strIn(peek(s, "value"), ["enabled", "enhanced"]) : false;
        }),
    );
}

/** Parses `containerDefinitions` (a JSON string in the SDK; an array if hand-written). */
export function parseContainerDefinitions(raw: unknown): unknown[] | Unknown | { error: string } {
    if (raw === UNKNOWN) {
        return UNKNOWN;
    }
    let value = raw;
    if (typeof raw === "string") {
        if (hasUnknownSentinel(raw)) {
            return UNKNOWN;
        }
        try {
            value = JSON.parse(raw);
        } catch {
            return { error: "containerDefinitions is not valid JSON" };
        }
    }
    if (Array.isArray(value)) {
        return value;
    }
    if (value !== null && typeof value === "object") {
        return [value];
    }
    return { error: "containerDefinitions is not a JSON array of containers" };
}

function containerLabel(c: unknown, i: number): string {
    const name = asStr(peek(c, "name"));
    return typeof name === "string" ? `container ${name}` : `containerDefinitions[${i}]`;
}

/**
 * Visits every container of a task definition with a label for messages. Unknown definitions are
 * deferred and unparseable ones reported, the same way for every rule that reads containers.
 */
export function forEachContainer(
    containerDefinitions: unknown,
    f: Findings,
    visit: (container: unknown, label: string) => void,
): void {
    const containers = parseContainerDefinitions(containerDefinitions);
    if (containers === UNKNOWN) {
        f.unknown("containerDefinitions");
        return;
    }
    if ("error" in containers) {
        f.fail(`${containers.error}: fix it so the containers can be checked.`);
        return;
    }
    containers.forEach((c, i) => visit(c, containerLabel(c, i)));
}
