/**
 * The edge: load balancer listener rules and target groups, CloudFront's S3 grant and security headers,
 * and WAF web ACLs. The listener TLS policy, viewer/origin TLS, OAC, ALB scheme and access logs already
 * have rules (tls-alb-listener, tls-cloudfront, net-cf-oac, net-alb-scheme, log-alb, log-cloudfront).
 */
import { CLOUDFRONT_SERVICE } from "./principals";
import { RegisteredPolicy, resourceRule, stackRule } from "./lib/define";
import { Findings } from "./lib/findings";
import { isPolicyError, parsePolicyDocument } from "./lib/policy-documents";
import { Res, StackView } from "./lib/stack-view";
import { T } from "./lib/types";
import { at, peek, Tri, UNKNOWN, Unknown } from "./lib/unknowns";
import { allOf, anyOf, asList, asStr, atLeast, isPresent, isTrue, show, strIn } from "./lib/values";
import { hasBlock, N } from "./next-helpers";

// ------------------------------------------------------------------------------------------------
// Load balancers
// ------------------------------------------------------------------------------------------------

const tlsAlbListenerRules = stackRule(
    {
        name: "tls-alb-listener-rules",
        description:
            "Rules on plain-HTTP listeners only redirect to HTTPS or answer with a fixed response; none forwards.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "ELB.1; CKV2_AWS_20 (companion of tls-alb-listener)",
        remediation:
            "Attach forward (and authenticate) rules to the HTTPS listener (listenerArn: https.arn); the HTTP " +
            "listener keeps its single redirect to HTTPS.",
    },
    (stack, _cfg, f) => {
        for (const rule of stack.ofType(...N.listenerRules)) {
            const listeners = rule
                .deps("listenerArn")
                .filter((d) => (T.listeners as readonly string[]).includes(d.type));
            if (listeners.length === 0) {
                // A literal ARN names a listener of another stack, which its own preview checks.
                if (asStr(rule.props.listenerArn) === UNKNOWN) {
                    f.unknown(`${rule.name}.listenerArn (not linked to a listener in this stack)`);
                }
                continue;
            }
            for (const listener of listeners) {
                const protocol = asStr(listener.props.protocol);
                if (protocol === UNKNOWN) {
                    f.unknown(`${listener.name}.protocol`);
                    continue;
                }
                if ((protocol ?? "HTTP").toUpperCase() !== "HTTP") {
                    continue;
                }
                const actions = asList(rule.props.actions);
                if (actions === UNKNOWN) {
                    f.unknown(`${rule.name}.actions`);
                    continue;
                }
                actions.forEach((a, i) => {
                    const type = asStr(peek(a, "type"));
                    if (type === UNKNOWN) {
                        f.unknown(`${rule.name}.actions[${i}].type`);
                    } else if (type?.toLowerCase() === "redirect") {
                        f.expect(
                            strIn(at(a, "redirect", "protocol"), ["HTTPS"]),
                            `${rule.name}.actions[${i}].redirect.protocol`,
                            `listener rule ${rule.name} on HTTP listener ${listener.name} redirects without switching to ` +
                                'HTTPS: set redirect.protocol "HTTPS".',
                            rule.urn,
                        );
                    } else if (type?.toLowerCase() !== "fixed-response") {
                        f.fail(
                            `listener rule ${rule.name} on HTTP listener ${listener.name} has a ${show(type)} action, so ` +
                                "requests (and cookies, tokens) travel unencrypted: attach it to the HTTPS listener instead.",
                            rule.urn,
                        );
                    }
                });
            }
        }
    },
);

const resAlbTargetHealth = resourceRule(
    {
        name: "res-alb-target-health",
        description: "Target groups define an explicit health check (HTTP targets: path and expected codes).",
        enforcementLevel: "mandatory",
        family: "resilience",
        source: "CKV_AWS_261",
        remediation:
            'Set healthCheck { enabled: true, path: "/healthz", matcher: "200" } (HTTP/HTTPS) or ' +
            "healthCheck { enabled: true } (TCP/TLS) so unhealthy tasks stop receiving traffic.",
    },
    T.targetGroups,
    (r, _cfg, f) => {
        const targetType = asStr(r.props.targetType);
        if (targetType === UNKNOWN) {
            f.unknown("targetType");
            return;
        }
        if (targetType?.toLowerCase() === "lambda" || targetType?.toLowerCase() === "alb") {
            return; // Lambda targets have no port to probe; an ALB target is checked by its own target groups
        }
        const hc = r.props.healthCheck;
        if (hc === UNKNOWN) {
            f.unknown("healthCheck");
            return;
        }
        if (hc === undefined || hc === null) {
            f.fail(
                'healthCheck is not set, so AWS probes "/" and accepts only 200 with default timings: set ' +
                    "healthCheck { enabled: true, path, matcher } explicitly.",
            );
            return;
        }
        const enabled = asStr(at(hc, "enabled"));
        f.expect(
            enabled === UNKNOWN ? UNKNOWN : enabled !== "false",
            "healthCheck.enabled",
            "healthCheck.enabled is false, so failed targets keep receiving traffic: enable it.",
        );
        const protocol = asStr(at(hc, "protocol")) ?? asStr(r.props.protocol);
        if (protocol === UNKNOWN) {
            f.unknown("protocol");
            return;
        }
        if (protocol !== undefined && !["HTTP", "HTTPS"].includes(protocol.toUpperCase())) {
            return; // TCP/TLS/UDP probes have no path or status codes
        }
        if (!isPresent(at(hc, "path"))) {
            f.fail('healthCheck.path is not set: point it at the service\'s health endpoint (e.g. "/healthz").');
        }
        if (!isPresent(at(hc, "matcher"))) {
            f.fail('healthCheck.matcher is not set: list the healthy status codes (e.g. "200" or "200-299").');
        }
    },
);

// ------------------------------------------------------------------------------------------------
// CloudFront
// ------------------------------------------------------------------------------------------------

/** The values a condition block tests for `key` (case-insensitive), across every operator. */
function conditionValues(condition: unknown, key: string): unknown[] | Unknown {
    if (condition === UNKNOWN) {
        return UNKNOWN;
    }
    if (condition === null || typeof condition !== "object") {
        return [];
    }
    const out: unknown[] = [];
    for (const op of Object.keys(condition)) {
        const block = peek(condition, op);
        if (block === UNKNOWN) {
            return UNKNOWN;
        }
        if (block === null || typeof block !== "object") {
            continue;
        }
        for (const k of Object.keys(block)) {
            if (k.toLowerCase() === key.toLowerCase()) {
                // A value unknown as a whole is one ARN output of this program (see lib/unknowns.ts), like an element.
                const v = asList(peek(block, k));
                out.push(...(v === UNKNOWN ? [UNKNOWN] : v));
            }
        }
    }
    return out;
}

const netCfS3Grant = resourceRule(
    {
        name: "net-cf-s3-grant",
        description: "Bucket policies grant CloudFront read access only for a specific distribution (aws:SourceArn).",
        enforcementLevel: "mandatory",
        family: "network",
        source: "CloudFront.13; S3.2 (CloudFront OAC bucket policy with AWS:SourceArn)",
        remediation:
            'Add Condition { StringEquals: { "AWS:SourceArn": distribution.arn } } to every statement ' +
            "that allows Service cloudfront.amazonaws.com.",
    },
    [T.bucketPolicy],
    (r, _cfg, f) => {
        const doc = parsePolicyDocument(r.props.policy);
        if (doc === UNKNOWN) {
            f.unknown("policy document");
            return;
        }
        if (isPolicyError(doc)) {
            return; // net-resource-policies reports unreadable documents
        }
        doc.statements.forEach((s, i) => {
            if (s.effect !== "Allow") {
                return;
            }
            const label = s.sid ? `statement ${s.sid}` : `Statement[${i}]`;
            const services = asList(peek(s.principal, "Service"));
            if (s.principal === UNKNOWN || services === UNKNOWN) {
                f.unknown(`${label}.Principal`);
                return;
            }
            if (!services.includes(CLOUDFRONT_SERVICE)) {
                return;
            }
            const arns = conditionValues(s.condition, "aws:SourceArn");
            if (arns === UNKNOWN) {
                f.unknown(`${label}.Condition`);
                return;
            }
            if (arns.length === 0) {
                f.fail(
                    `${label} lets CloudFront read the bucket for any distribution, in any account: add Condition ` +
                        '{ StringEquals: { "AWS:SourceArn": distribution.arn } }.',
                );
                return;
            }
            // An unknown element is this program's distribution.arn; a literal must name one distribution.
            const wide = arns.filter(
                (a) => typeof a === "string" && (a.includes("*") || !/:distribution\/[A-Z0-9]+$/i.test(a)),
            );
            if (wide.length > 0) {
                f.fail(
                    `${label} scopes CloudFront with aws:SourceArn ${show(wide)}, which is not one distribution: ` +
                        "use the distribution's ARN (distribution.arn).",
                );
            }
        });
    },
);

/** AWS's managed SecurityHeadersPolicy (HSTS max-age one year, nosniff, frame and referrer policies). */
const MANAGED_SECURITY_HEADERS_POLICY = "67f7725c-6f97-4210-82d7-5512b31e9d03";
const ONE_YEAR = 31536000;

interface HstsConfig {
    minMaxAgeSeconds?: number;
}

const tlsCloudfrontHsts = stackRule(
    {
        name: "tls-cloudfront-hsts",
        description: "CloudFront's default behaviour attaches a response headers policy that sends HSTS.",
        enforcementLevel: "advisory",
        family: "encryption",
        source: "CKV2_AWS_32; CKV_AWS_259",
        remediation:
            "Create an aws.cloudfront.ResponseHeadersPolicy with securityHeadersConfig.strictTransportSecurity " +
            "{ accessControlMaxAgeSec: 31536000, includeSubdomains: true, override: true } and set " +
            "defaultCacheBehavior.responseHeadersPolicyId to its id (or use the managed SecurityHeadersPolicy).",
        configSchema: {
            properties: {
                minMaxAgeSeconds: {
                    type: "integer",
                    minimum: 0,
                    default: ONE_YEAR,
                    description: "Shortest acceptable Strict-Transport-Security max-age (seconds).",
                },
            },
        },
    },
    (stack, cfg: HstsConfig, f) => {
        const min = cfg.minMaxAgeSeconds ?? ONE_YEAR;
        for (const dist of stack.ofType(T.distribution)) {
            const id = asStr(at(dist.props, "defaultCacheBehavior", "responseHeadersPolicyId"));
            const policies = dist.deps("defaultCacheBehavior").filter((d) => d.type === N.responseHeadersPolicy);
            if (policies.length === 0) {
                if (id === UNKNOWN) {
                    f.unknown(
                        `${dist.name}.defaultCacheBehavior.responseHeadersPolicyId (not linked to a policy in this stack)`,
                    );
                } else if (id === undefined || id.trim() === "") {
                    f.fail(
                        `distribution ${dist.name} attaches no response headers policy, so browsers get no HSTS: set ` +
                            "defaultCacheBehavior.responseHeadersPolicyId.",
                        dist.urn,
                    );
                } else if (id !== MANAGED_SECURITY_HEADERS_POLICY) {
                    f.fail(
                        `distribution ${dist.name} uses response headers policy ${id}, which is neither in this stack nor ` +
                            "the managed SecurityHeadersPolicy, so its HSTS header cannot be checked: declare the policy here.",
                        dist.urn,
                    );
                }
                continue;
            }
            for (const p of policies) {
                const hsts = at(p.props, "securityHeadersConfig", "strictTransportSecurity");
                if (hsts === UNKNOWN) {
                    f.unknown(`${p.name}.securityHeadersConfig`);
                    continue;
                }
                if (hsts === undefined || hsts === null) {
                    f.fail(
                        `response headers policy ${p.name} (distribution ${dist.name}) sends no Strict-Transport-Security: ` +
                            "add securityHeadersConfig.strictTransportSecurity.",
                        p.urn,
                    );
                    continue;
                }
                f.expect(
                    atLeast(at(hsts, "accessControlMaxAgeSec"), min),
                    `${p.name} HSTS max-age`,
                    `response headers policy ${p.name} sets HSTS max-age ${show(at(hsts, "accessControlMaxAgeSec"))}: use at ` +
                        `least ${min} seconds.`,
                    p.urn,
                );
                f.expect(
                    isTrue(at(hsts, "override")),
                    `${p.name} HSTS override`,
                    `response headers policy ${p.name} lets the origin replace the HSTS header: set override: true.`,
                    p.urn,
                );
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------
// WAF
// ------------------------------------------------------------------------------------------------

/** Reads `key` in the provider's camelCase or the API's PascalCase (ruleJson holds API-shaped JSON). */
function pk(obj: unknown, key: string): unknown {
    const camel = peek(obj, key);
    return camel !== undefined ? camel : peek(obj, key.charAt(0).toUpperCase() + key.slice(1));
}

/** One web ACL rule as these checks see it. */
interface AclRule {
    label: string;
    /** Blocks, or challenges, matching requests (a rule group whose own actions apply counts as blocking). */
    blocks: Tri;
    allows: Tri;
    rateBased: Tri;
}

function hasKey(obj: unknown, key: string): Tri {
    const v = pk(obj, key);
    return v === UNKNOWN ? UNKNOWN : v !== undefined && v !== null;
}

/** Reads an inline rule, a ruleJson rule or a WebAclRule resource's props. */
function readRule(rule: unknown, label: string): AclRule {
    const action = pk(rule, "action");
    const override = pk(rule, "overrideAction");
    const statement = pk(rule, "statement");
    const rateBased: Tri = statement === UNKNOWN ? UNKNOWN : hasKey(statement, "rateBasedStatement");
    if (action === UNKNOWN || override === UNKNOWN) {
        return { label, blocks: UNKNOWN, allows: UNKNOWN, rateBased };
    }
    if (action !== undefined && action !== null) {
        return {
            label,
            blocks: anyOf([hasKey(action, "block"), hasKey(action, "captcha"), hasKey(action, "challenge")]),
            allows: hasKey(action, "allow"),
            rateBased,
        };
    }
    if (override !== undefined && override !== null) {
        return { label, blocks: hasKey(override, "none"), allows: false, rateBased };
    }
    return { label, blocks: false, allows: false, rateBased };
}

/** Every rule of a web ACL: inline `rules`, `ruleJson`, and WebAclRule / rule group association resources. */
function rulesOf(stack: StackView, acl: Res, f: Findings): AclRule[] | Unknown {
    const out: AclRule[] = [];
    const inline = asList(acl.props.rules);
    if (inline === UNKNOWN) {
        f.unknown(`${acl.name}.rules`);
        return UNKNOWN;
    }
    inline.forEach((r, i) => {
        const name = asStr(peek(r, "name"));
        out.push(readRule(r, `rule ${typeof name === "string" ? name : i}`));
    });
    const json = asStr(acl.props.ruleJson);
    if (json === UNKNOWN) {
        f.unknown(`${acl.name}.ruleJson`);
        return UNKNOWN;
    }
    if (typeof json === "string" && json.trim() !== "") {
        let parsed: unknown;
        try {
            parsed = JSON.parse(json);
        } catch {
            f.fail(`web ACL ${acl.name}'s ruleJson is not valid JSON: fix it so its rules can be checked.`, acl.urn);
            return UNKNOWN;
        }
        (Array.isArray(parsed) ? parsed : [parsed]).forEach((r: unknown, i: number) => {
            const name = asStr(pk(r, "name"));
            out.push(readRule(r, `rule ${typeof name === "string" ? name : `ruleJson[${i}]`}`));
        });
    }
    for (const r of stack.ofType(N.webAclRule).filter((x) => x.deps("webAclArn").some((d) => d.urn === acl.urn))) {
        out.push(readRule(r.props, `rule ${r.name}`));
    }
    for (const g of stack
        .ofType(N.webAclRuleGroupAssociation)
        .filter((x) => x.deps("webAclArn").some((d) => d.urn === acl.urn))) {
        const override = asStr(g.props.overrideAction);
        out.push({
            label: `rule group ${g.name}`,
            blocks: override === UNKNOWN ? UNKNOWN : override === undefined || override.toLowerCase() === "none",
            allows: false,
            rateBased: false,
        });
    }
    return out;
}

const netWafBlocks = stackRule(
    {
        name: "net-waf-blocks",
        description:
            "WAF web ACLs have rules and enforce them: not every rule counts only, and the default action fits.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "WAF.10; CKV_AWS_342",
        remediation:
            "Add rules (e.g. the AWSManagedRulesCommonRuleSet group with overrideAction { none: {} }) and switch " +
            "rules from count to block once tuned; with defaultAction { block: {} }, add the allow rules that let " +
            "legitimate traffic in.",
    },
    (stack, _cfg, f) => {
        for (const acl of stack.ofType(N.webAcl)) {
            const def = acl.props.defaultAction;
            const defAllow = hasBlock(def, "allow");
            const defBlock = hasBlock(def, "block");
            if (def === UNKNOWN || defAllow === UNKNOWN || defBlock === UNKNOWN) {
                f.unknown(`${acl.name}.defaultAction`);
                continue;
            }
            if (!defAllow && !defBlock) {
                f.fail(
                    `web ACL ${acl.name} has no defaultAction: set { allow: {} } (with blocking rules) or { block: {} } ` +
                        "(with allow rules).",
                    acl.urn,
                );
                continue;
            }
            const rules = rulesOf(stack, acl, f);
            if (rules === UNKNOWN) {
                continue;
            }
            if (defBlock) {
                f.expect(
                    anyOf(rules.map((r) => r.allows)),
                    `${acl.name} allow rules`,
                    `web ACL ${acl.name} blocks by default and no rule allows anything, so it blocks every request: add ` +
                        "allow rules for legitimate traffic.",
                    acl.urn,
                );
                continue;
            }
            if (rules.length === 0) {
                f.fail(
                    `web ACL ${acl.name} has no rules, so it allows everything: add managed rule groups or rules (WAF.10).`,
                    acl.urn,
                );
                continue;
            }
            f.expect(
                anyOf(rules.map((r) => r.blocks)),
                `${acl.name} rule actions`,
                `web ACL ${acl.name} only counts (${rules.map((r) => r.label).join(", ")}), so nothing is ever blocked: give ` +
                    "rules action { block: {} } and rule groups overrideAction { none: {} }.",
                acl.urn,
            );
        }
    },
);

const netWafRateLimit = stackRule(
    {
        name: "net-waf-rate-limit",
        description: "WAF web ACLs include an enforcing rate-based rule against floods and credential stuffing.",
        enforcementLevel: "advisory",
        family: "network",
        source: "AWS WAF Developer Guide: rate-based rule statement; AWS DDoS resiliency best practices",
        remediation:
            'Add a rule with statement.rateBasedStatement { limit, aggregateKeyType: "IP" } and action { block: {} }.',
    },
    (stack, _cfg, f) => {
        for (const acl of stack.ofType(N.webAcl)) {
            // Findings about the rules themselves (unreadable ruleJson) belong to net-waf-blocks.
            const rules = rulesOf(stack, acl, new Findings());
            if (rules === UNKNOWN) {
                f.unknown(`${acl.name}.rules`);
                continue;
            }
            // An ACL that allows by default and blocks nothing at all is net-waf-blocks' finding (mandatory);
            // a counting rate rule there is the same mistake, reported once.
            if (hasBlock(acl.props.defaultAction, "allow") === true && anyOf(rules.map((r) => r.blocks)) === false) {
                continue;
            }
            f.expect(
                anyOf(rules.map((r) => allOf([r.rateBased, r.blocks]))),
                `${acl.name} rate-based rule`,
                `web ACL ${acl.name} has no enforcing rate-based rule: add one with rateBasedStatement and action block.`,
                acl.urn,
            );
        }
    },
);

interface WafLogConfig {
    redactedHeaders?: string[];
}

const DEFAULT_REDACTED = ["authorization", "cookie"];

const logWaf = stackRule(
    {
        name: "log-waf",
        description:
            "WAF web ACLs log requests with the authorization and cookie headers redacted, and publish " +
            "CloudWatch metrics for the ACL and each rule.",
        enforcementLevel: "advisory",
        family: "logging",
        source: "WAF.11; WAF.12",
        remediation:
            "Add an aws.wafv2.WebAclLoggingConfiguration (resourceArn: acl.arn) with redactedFields " +
            '[{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }]; set ' +
            "visibilityConfig.cloudwatchMetricsEnabled: true on the ACL and every rule.",
        configSchema: {
            properties: {
                redactedHeaders: {
                    type: "array",
                    items: { type: "string" },
                    default: DEFAULT_REDACTED,
                    description: "Headers every WAF log must redact (lower case).",
                },
            },
        },
    },
    (stack, cfg: WafLogConfig, f) => {
        const required = (cfg.redactedHeaders ?? DEFAULT_REDACTED).map((h) => h.toLowerCase());
        for (const acl of stack.ofType(N.webAcl)) {
            const visibility: { label: string; value: unknown }[] = [
                { label: "the ACL", value: acl.props.visibilityConfig },
            ];
            const inline = asList(acl.props.rules);
            if (inline === UNKNOWN) {
                f.unknown(`${acl.name}.rules`);
            } else {
                inline.forEach((r, i) => {
                    const name = asStr(peek(r, "name"));
                    visibility.push({
                        label: `rule ${typeof name === "string" ? name : i}`,
                        value: peek(r, "visibilityConfig"),
                    });
                });
            }
            for (const v of visibility) {
                f.expect(
                    isTrue(at(v.value, "cloudwatchMetricsEnabled")),
                    `${acl.name} ${v.label} visibilityConfig`,
                    `web ACL ${acl.name}: ${v.label} publishes no CloudWatch metrics, so blocked and counted requests ` +
                        "can't be alarmed on: set visibilityConfig.cloudwatchMetricsEnabled: true.",
                    acl.urn,
                );
            }
            const configs = stack
                .ofType(N.webAclLogging)
                .filter((l) => l.deps("resourceArn").some((d) => d.urn === acl.urn));
            if (configs.length === 0) {
                f.fail(
                    `web ACL ${acl.name} has no logging configuration: add an aws.wafv2.WebAclLoggingConfiguration ` +
                        "with resourceArn: acl.arn.",
                    acl.urn,
                );
                continue;
            }
            for (const l of configs) {
                const fields = asList(l.props.redactedFields);
                if (fields === UNKNOWN) {
                    f.unknown(`${l.name}.redactedFields`);
                    continue;
                }
                const names = fields.map((x) => asStr(at(x, "singleHeader", "name")));
                if (names.some((n) => n === UNKNOWN)) {
                    f.unknown(`${l.name}.redactedFields header names`);
                    continue;
                }
                const have = names.filter((n): n is string => typeof n === "string").map((n) => n.toLowerCase());
                const missing = required.filter((h) => !have.includes(h));
                if (missing.length > 0) {
                    f.fail(
                        `WAF logging ${l.name} writes the ${missing.join(" and ")} header(s) in clear, i.e. session tokens: ` +
                            `add redactedFields [${missing.map((h) => `{ singleHeader: { name: "${h}" } }`).join(", ")}].`,
                        l.urn,
                    );
                }
            }
        }
    },
);

export const edgePolicies: RegisteredPolicy[] = [
    tlsAlbListenerRules,
    resAlbTargetHealth,
    netCfS3Grant,
    tlsCloudfrontHsts,
    netWafBlocks,
    netWafRateLimit,
    logWaf,
];
