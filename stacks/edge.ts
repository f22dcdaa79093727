import { z } from "zod";
import type { ConfigProblem } from "./errors";
import type { Environment } from "./schema";
import { SERVICE_NAME } from "./services";
import { distinctArray, logRetentionDays } from "./values";

/**
 * The edge's config sections: `groundwork:dns` (the hosted zone and the names the platform
 * answers on) and `groundwork:edge` (CloudFront, the load balancer, WAF and which service takes
 * which requests). Raw schemas with every field documented, the tier defaults in one table, and
 * {@link resolveEdgeConfig}, which applies them and checks what spans fields and sections.
 *
 * Only type imports from `./schema` (schema.ts imports this module; see data.ts).
 */

const NAMESPACE = "groundwork";

export const ALB_SCHEMES = ["internet-facing", "internal"] as const;
export type AlbScheme = (typeof ALB_SCHEMES)[number];
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;

/**
 * A DNS name as Route 53 and ACM take it: labels of letters, digits and hyphens (not at either
 * end), at most 63 characters each, at least two labels, 253 in all, no trailing dot.
 */
const DNS_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

const dnsName = z.string().regex(DNS_NAME, {
    message: "is not a DNS name (lower-case labels of letters, digits and hyphens, e.g. example.com)",
});

/** A listener-rule path pattern: starts with `/`, up to 128 characters, `*` and `?` wildcards (ELB limits). */
const pathPattern = z.string().regex(/^\/[A-Za-z0-9_\-.$/~"'@:+&*?=%]{0,127}$/, {
    message: "is not a path pattern (starts with /, up to 128 characters, * and ? as wildcards)",
});

/** A host-header pattern: a DNS name that may carry `*` and `?` wildcards. */
const hostPattern = z.string().regex(/^(?=.{1,128}$)[a-z0-9*?](?:[a-z0-9*?.-]*[a-z0-9*?])?$/, {
    message: "is not a host pattern (a DNS name, * and ? as wildcards)",
});

export const dnsSchema = z.strictObject({
    /**
     * A Route 53 public hosted zone (`example.com`) that already exists in the account: looked
     * up, not created, unless `createZone`. Required in prod; a dev stack without it is served
     * on CloudFront's own `*.cloudfront.net` name.
     */
    zoneName: dnsName.optional(),
    /** Create the hosted zone (a fresh account); its name servers must then be delegated at the registrar. */
    createZone: z.boolean().optional(),
    /** The site's name. Default `app.<zone>`. */
    siteName: dnsName.optional(),
    /** The API's name. Default `api.<zone>`. */
    apiName: dnsName.optional(),
    /** The name CloudFront reaches the load balancer by (its certificate is for it). Default `origin.<zone>`. */
    originName: dnsName.optional(),
});

const routeSchema = z.strictObject({
    /** Path patterns this service takes (`/api/*`). */
    paths: distinctArray(pathPattern).min(1).max(5).optional(),
    /** Host names this service takes (`admin.example.com`). */
    hosts: distinctArray(hostPattern).min(1).max(5).optional(),
    /** Sticky sessions (load-balancer cookie) for this many seconds; seed 002 uses a day. Default off. */
    stickySeconds: z.number().int().min(1).max(604800).optional(),
    /** Slow start: new tasks get a linearly rising share of requests for this many seconds. Default off. */
    slowStartSeconds: z.number().int().min(30).max(900).optional(),
});

export const edgeSchema = z.strictObject({
    /** Put CloudFront in front of the load balancer. Default true. */
    cdn: z.boolean().optional(),
    /**
     * `internet-facing` (public subnets; with the CDN on it admits only CloudFront and requests
     * carrying the secret origin header) or `internal` (private subnets, reached by CloudFront
     * through a VPC origin: nothing of the application is reachable from the internet). Default
     * internet-facing.
     */
    albScheme: z.enum(ALB_SCHEMES).optional(),
    /** A WAF web ACL on the distribution (or on the load balancer without a CDN). Default off in dev, on in prod. */
    waf: z.boolean().optional(),
    /** WAF's per-IP limit: requests in any 5 minutes before that address is blocked. Default 2000. */
    rateLimitPer5Minutes: z.number().int().min(10).max(2000000000).optional(),
    /** CloudFront price class. Default PriceClass_100 (North America and Europe). */
    priceClass: z.enum(PRICE_CLASSES).optional(),
    /** HSTS `preload`: browsers then refuse plain HTTP for the domain for good; hard to undo. Default false. */
    hstsPreload: z.boolean().optional(),
    /** The Content-Security-Policy header. Default `default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'`. */
    contentSecurityPolicy: z.string().min(1).max(1783).optional(),
    /** Days the load balancer's access logs are kept (S3 lifecycle). Default 30 in dev, 365 in prod. */
    accessLogRetentionDays: z.number().int().min(1).max(3650).optional(),
    /** Retention of the CDN's and WAF's log groups. Default 30 days in dev, 365 in prod. */
    logRetentionDays: logRetentionDays.optional(),
    /**
     * Which services take requests, and which ones: service name → paths and/or hosts. The one
     * route without either is the default (the api's, unless the stack says otherwise).
     * Default `{ api: {} }` when the stack runs an api.
     */
    routes: z.record(z.string(), routeSchema).optional(),
});

/** The edge sections of the raw config; spread into the namespace schema. */
export const edgeConfigShape = {
    dns: dnsSchema.optional(),
    edge: edgeSchema.optional(),
};

export type RawEdgeConfig = {
    [K in keyof typeof edgeConfigShape]?: z.infer<(typeof edgeConfigShape)[K]>;
};

export interface DnsConfig {
    zoneName: string;
    createZone: boolean;
    siteName: string;
    apiName: string;
    originName: string;
}

export interface RouteConfig {
    paths: string[];
    hosts: string[];
    stickySeconds?: number;
    slowStartSeconds?: number;
}

export interface EdgeSettings {
    cdn: boolean;
    albScheme: AlbScheme;
    waf: boolean;
    rateLimitPer5Minutes: number;
    priceClass: (typeof PRICE_CLASSES)[number];
    hstsPreload: boolean;
    contentSecurityPolicy?: string;
    accessLogRetentionDays: number;
    logRetentionDays: number;
    /** In config order; exactly one route (the default) has neither paths nor hosts. Empty: no load balancer. */
    routes: Record<string, RouteConfig>;
}

export interface EdgeConfig {
    /** Unset: no zone, no certificates, no DNS records (dev only). */
    dns?: DnsConfig;
    edge: EdgeSettings;
}

/** What differs by tier: prod filters requests through WAF and keeps its logs a year. */
export const EDGE_TIER_DEFAULTS: Record<Environment, Omit<EdgeSettings, "routes" | "contentSecurityPolicy">> = {
    dev: {
        cdn: true,
        albScheme: "internet-facing",
        waf: false,
        rateLimitPer5Minutes: 2000,
        priceClass: "PriceClass_100",
        hstsPreload: false,
        accessLogRetentionDays: 30,
        logRetentionDays: 30,
    },
    prod: {
        cdn: true,
        albScheme: "internet-facing",
        waf: true,
        rateLimitPer5Minutes: 2000,
        priceClass: "PriceClass_100",
        hstsPreload: false,
        accessLogRetentionDays: 365,
        logRetentionDays: 365,
    },
};

/** `name` is `zone` or a name inside it. */
function inZone(name: string, zone: string): boolean {
    return name === zone || name.endsWith(`.${zone}`);
}

/**
 * Applies the tier defaults and checks what spans fields and sections: prod needs a zone, the
 * names lie inside it, routes name services of the stack and exactly one is the default, an
 * internal load balancer needs the CDN. Pure; problems are keyed `groundwork:<section>.<field>`.
 */
export function resolveEdgeConfig(
    raw: RawEdgeConfig,
    environment: Environment,
    serviceNames: string[],
): { config: EdgeConfig; problems: ConfigProblem[] } {
    const problems: ConfigProblem[] = [];
    const problem = (key: string, message: string) => problems.push({ key: `${NAMESPACE}:${key}`, message });
    const tier = EDGE_TIER_DEFAULTS[environment];

    let dns: DnsConfig | undefined;
    const rawDns = raw.dns ?? {};
    const zoneName = rawDns.zoneName;
    if (zoneName === undefined) {
        for (const field of ["createZone", "siteName", "apiName", "originName"] as const) {
            if (rawDns[field] !== undefined) {
                problem(`dns.${field}`, "is set but dns.zoneName is not; set the zone or remove it");
            }
        }
        if (environment === "prod") {
            problem(
                "dns.zoneName",
                "is required in prod: without a zone the site has no name of its own and CloudFront reaches the load balancer over plain HTTP",
            );
        }
    } else {
        dns = {
            zoneName,
            createZone: rawDns.createZone ?? false,
            siteName: rawDns.siteName ?? `app.${zoneName}`,
            apiName: rawDns.apiName ?? `api.${zoneName}`,
            originName: rawDns.originName ?? `origin.${zoneName}`,
        };
        for (const field of ["siteName", "apiName", "originName"] as const) {
            if (!inZone(dns[field], zoneName)) {
                problem(`dns.${field}`, `${JSON.stringify(dns[field])} is not inside the zone ${zoneName}`);
            }
        }
        if (dns.originName === dns.siteName || dns.originName === dns.apiName) {
            problem(
                "dns.originName",
                `${JSON.stringify(dns.originName)} is also a viewer name; the origin needs a name of its own (CloudFront answers the others)`,
            );
        }
    }

    const rawEdge = raw.edge ?? {};
    const given = rawEdge.routes ?? {};
    const routes: Record<string, RouteConfig> = {};
    const listed = Object.keys(given).length > 0 ? Object.keys(given) : serviceNames.includes("api") ? ["api"] : [];
    for (const name of listed) {
        const route = given[name] ?? {};
        if (!SERVICE_NAME.test(name) || !serviceNames.includes(name)) {
            problem(
                `edge.routes.${name}`,
                `is not a service of this stack; services: ${serviceNames.length > 0 ? serviceNames.join(", ") : "(none)"}`,
            );
            continue;
        }
        routes[name] = {
            paths: route.paths ?? [],
            hosts: route.hosts ?? [],
            stickySeconds: route.stickySeconds,
            slowStartSeconds: route.slowStartSeconds,
        };
    }
    const defaults = Object.entries(routes).filter(([, r]) => r.paths.length === 0 && r.hosts.length === 0);
    if (Object.keys(routes).length > 0 && defaults.length !== 1) {
        problem(
            "edge.routes",
            defaults.length === 0
                ? "has no default route: leave paths and hosts off one service (usually the api), which takes every other request"
                : `has ${defaults.length} default routes (${defaults.map(([n]) => n).join(", ")}); give all but one paths or hosts`,
        );
    }

    const edge: EdgeSettings = {
        cdn: rawEdge.cdn ?? tier.cdn,
        albScheme: rawEdge.albScheme ?? tier.albScheme,
        waf: rawEdge.waf ?? tier.waf,
        rateLimitPer5Minutes: rawEdge.rateLimitPer5Minutes ?? tier.rateLimitPer5Minutes,
        priceClass: rawEdge.priceClass ?? tier.priceClass,
        hstsPreload: rawEdge.hstsPreload ?? tier.hstsPreload,
        contentSecurityPolicy: rawEdge.contentSecurityPolicy,
        accessLogRetentionDays: rawEdge.accessLogRetentionDays ?? tier.accessLogRetentionDays,
        logRetentionDays: rawEdge.logRetentionDays ?? tier.logRetentionDays,
        routes,
    };
    if (edge.albScheme === "internal" && !edge.cdn) {
        problem(
            "edge.albScheme",
            "is internal but edge.cdn is false: an internal load balancer is reached only through CloudFront's VPC origin; turn the CDN on or use internet-facing",
        );
    }
    if (!edge.cdn && dns === undefined && Object.keys(routes).length > 0) {
        problem(
            "edge.cdn",
            "is false and no dns.zoneName is set: the load balancer would have no certificate and serve viewers plain HTTP; set a zone or keep the CDN",
        );
    }
    if (!edge.cdn) {
        for (const field of ["priceClass", "hstsPreload", "contentSecurityPolicy"] as const) {
            if (rawEdge[field] !== undefined) {
                problem(`edge.${field}`, "is a CDN setting but edge.cdn is false; remove it or turn the CDN on");
            }
        }
    }
    return { config: { dns, edge }, problems };
}
