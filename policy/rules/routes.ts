import { Res, StackView } from "./lib/stack-view";
import { peek, UNKNOWN, Unknown } from "./lib/unknowns";
import { asList, asStr } from "./lib/values";
/**
 * A subnet's tier, decided by its routes rather than by its tags or `mapPublicIpOnLaunch`:
 *
 * - **public**: its route table has a route to an internet gateway;
 * - **private**: no internet gateway, but a way out through a NAT gateway or an egress-only internet
 *   gateway (IPv6);
 * - **isolated**: neither.
 *
 * The edges followed are the plan's Output-to-input edges (`propertyDependencies`): route → route table
 * (`routeTableId`), association → route table and subnet, route → gateway (`gatewayId`,
 * `natGatewayId`, `egressOnlyGatewayId`). Literal IDs are read by their AWS prefix (`igw-`, `nat-`,
 * `eigw-`). A subnet without an explicit association uses the VPC's main route table; when the stack
 * manages it (`aws:ec2/defaultRouteTable`) its routes count, otherwise the main table only has the
 * `local` route AWS creates.
 */

export const NET_T = {
    route: "aws:ec2/route:Route",
    routeTable: "aws:ec2/routeTable:RouteTable",
    defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    natGateway: "aws:ec2/natGateway:NatGateway",
    egressOnlyGateway: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    subnet: "aws:ec2/subnet:Subnet",
    networkAcl: "aws:ec2/networkAcl:NetworkAcl",
    defaultNetworkAcl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    networkAclRule: "aws:ec2/networkAclRule:NetworkAclRule",
    networkAclAssociation: "aws:ec2/networkAclAssociation:NetworkAclAssociation",
} as const;

export type Tier = "public" | "private" | "isolated";

/** What a route (or an inline route entry) leads to. */
type Exit = "internet" | "nat" | "none" | Unknown;

export interface SubnetTier {
    tier: Tier | Unknown;
    /** The route or route table that decided it, for messages ("route network-private-1-egress (NAT)"). */
    reason: string;
    /** What could not be seen, when `tier` is UNKNOWN. */
    unknown?: string;
}

function exitOfIds(ids: { gateway: unknown; nat: unknown; eigw: unknown }, edges: Res[]): Exit {
    if (edges.some((e) => e.type === NET_T.internetGateway)) {
        return "internet";
    }
    if (edges.some((e) => e.type === NET_T.natGateway || e.type === NET_T.egressOnlyGateway)) {
        return "nat";
    }
    const gateway = asStr(ids.gateway);
    const nat = asStr(ids.nat);
    const eigw = asStr(ids.eigw);
    if (typeof gateway === "string" && gateway.startsWith("igw-")) {
        return "internet";
    }
    if ((typeof nat === "string" && nat !== "") || (typeof eigw === "string" && eigw !== "")) {
        return "nat";
    }
    // An unknown gateway without an edge to a resource of this stack could be anything.
    if (gateway === UNKNOWN || nat === UNKNOWN || eigw === UNKNOWN) {
        return UNKNOWN;
    }
    return "none";
}

/** What a standalone route leads to. */
function routeExit(route: Res): Exit {
    return exitOfIds(
        { gateway: route.props.gatewayId, nat: route.props.natGatewayId, eigw: route.props.egressOnlyGatewayId },
        [...route.deps("gatewayId"), ...route.deps("natGatewayId"), ...route.deps("egressOnlyGatewayId")],
    );
}

function worse(a: Exit, b: Exit): Exit {
    const rank = (e: Exit) => (e === "internet" ? 3 : e === UNKNOWN ? 2 : e === "nat" ? 1 : 0);
    return rank(a) >= rank(b) ? a : b;
}

/** The exits of one route table: its inline `routes[]` plus standalone routes attached to it. */
function tableExit(stack: StackView, table: Res): { exit: Exit; reason: string } {
    let exit: Exit = "none";
    let reason = `route table ${table.name}`;
    const inline = asList(table.props.routes);
    if (inline === UNKNOWN) {
        exit = UNKNOWN;
        reason = `route table ${table.name} (routes unknown)`;
    } else {
        const edges = table.deps("routes");
        for (const r of inline) {
            // Inline routes share one edge list; an edge to a gateway type decides for every entry.
            const e = exitOfIds(
                { gateway: peek(r, "gatewayId"), nat: peek(r, "natGatewayId"), eigw: peek(r, "egressOnlyGatewayId") },
                edges,
            );
            if (worse(e, exit) !== exit) {
                exit = e;
                reason = `route table ${table.name}'s inline route${e === "internet" ? " to an internet gateway" : e === "nat" ? " to a NAT gateway" : ""}`;
            }
        }
    }
    for (const route of stack
        .ofType(NET_T.route)
        .filter((r) => r.deps("routeTableId").some((t) => t.urn === table.urn))) {
        const e = routeExit(route);
        if (worse(e, exit) !== exit) {
            exit = e;
            reason = `route ${route.name}${e === "internet" ? " (internet gateway)" : e === "nat" ? " (NAT gateway)" : ""}`;
        }
    }
    return { exit, reason };
}

function tierOf(exit: Exit): Tier | Unknown {
    return exit === UNKNOWN ? UNKNOWN : exit === "internet" ? "public" : exit === "nat" ? "private" : "isolated";
}

/** Every subnet of the stack with its tier as its routes decide it. */
export function subnetTiers(stack: StackView): Map<string, SubnetTier> {
    const out = new Map<string, SubnetTier>();
    const associations = stack.ofType(NET_T.routeTableAssociation);
    const unlinkedAssociation = associations.some(
        (a) => a.deps("subnetId").length === 0 && a.props.subnetId === UNKNOWN,
    );
    for (const subnet of stack.ofType(NET_T.subnet)) {
        const mine = associations.filter((a) => a.deps("subnetId").some((s) => s.urn === subnet.urn));
        const tables = mine.flatMap((a) =>
            a.deps("routeTableId").filter((t) => t.type === NET_T.routeTable || t.type === NET_T.defaultRouteTable),
        );
        if (mine.length > 0 && tables.length === 0) {
            out.set(subnet.urn, {
                tier: UNKNOWN,
                reason: "",
                unknown: `${mine[0].name}.routeTableId (not linked to a route table in this stack)`,
            });
            continue;
        }
        if (tables.length === 0) {
            if (unlinkedAssociation) {
                out.set(subnet.urn, {
                    tier: UNKNOWN,
                    reason: "",
                    unknown: `route table associations of ${subnet.name}`,
                });
                continue;
            }
            const main = stack
                .ofType(NET_T.defaultRouteTable)
                .find((t) =>
                    subnet.deps("vpcId").some((v) => t.deps("defaultRouteTableId").some((d) => d.urn === v.urn)),
                );
            const { exit, reason } = main
                ? tableExit(stack, main)
                : { exit: "none" as Exit, reason: "the VPC's main route table" };
            out.set(subnet.urn, { tier: tierOf(exit), reason, ...(exit === UNKNOWN ? { unknown: reason } : {}) });
            continue;
        }
        let exit: Exit = "none";
        let reason = `route table ${tables[0].name}`;
        for (const t of tables) {
            const e = tableExit(stack, t);
            if (worse(e.exit, exit) !== exit) {
                exit = e.exit;
                reason = e.reason;
            }
        }
        out.set(subnet.urn, { tier: tierOf(exit), reason, ...(exit === UNKNOWN ? { unknown: reason } : {}) });
    }
    return out;
}
