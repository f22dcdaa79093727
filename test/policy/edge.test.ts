import { evaluate, expectClean, expectDeferred, expectViolation, link, res, T, U } from "./fixtures";
import { alb, distribution, NT, webAcl } from "./fixtures-next";

const forward = [{ type: "forward", targetGroupArn: U }];

describe("policy family: edge (ALB, CloudFront, WAF)", () => {
    describe("tls-alb-listener-rules", () => {
        it("passes forward rules on the HTTPS listener", () =>
            expectClean(evaluate(alb().all), "tls-alb-listener-rules"));
        it("flags a forward rule and an HTTP redirect on the HTTP listener (aws:alb token)", () => {
            const { all, http } = alb();
            const fwd = link(
                res(NT.albListenerRule, "leak", { listenerArn: U, actions: forward, conditions: [] }),
                "listenerArn",
                http,
            );
            const plain = link(
                res(NT.lbListenerRule, "plain", {
                    listenerArn: U,
                    actions: [{ type: "redirect", redirect: { protocol: "HTTP", port: "8080" } }],
                    conditions: [],
                }),
                "listenerArn",
                http,
            );
            const report = evaluate([...all, fwd, plain]);
            expectViolation(report, "tls-alb-listener-rules", 'has a "forward" action', fwd.urn);
            expectViolation(report, "tls-alb-listener-rules", "redirects without switching to HTTPS", plain.urn);
        });
        it("defers a listener whose protocol is unknown", () => {
            const { all, https } = alb();
            https.props.protocol = U;
            expectDeferred(evaluate(all), "tls-alb-listener-rules", "web-https.protocol");
        });
    });

    describe("res-alb-target-health", () => {
        it("passes an explicit HTTP health check", () => expectClean(evaluate(alb().all), "res-alb-target-health"));
        it("flags a missing health check, a disabled one, and one without path and matcher", () => {
            const none = res(T.albTg, "none", { port: 80, protocol: "HTTP", targetType: "ip" });
            const off = res(T.tg, "off", {
                port: 80,
                protocol: "HTTP",
                healthCheck: { enabled: false, path: "/", matcher: "200" },
            });
            const bare = res(T.tg, "bare", { port: 80, protocol: "HTTPS", healthCheck: { enabled: true } });
            const report = evaluate([none, off, bare]);
            expectViolation(report, "res-alb-target-health", "healthCheck is not set", none.urn);
            expectViolation(report, "res-alb-target-health", "healthCheck.enabled is false", off.urn);
            expectViolation(report, "res-alb-target-health", "healthCheck.path is not set", bare.urn);
            expectViolation(report, "res-alb-target-health", "healthCheck.matcher is not set", bare.urn);
        });
        it("defers an unknown health check block", () =>
            expectDeferred(
                evaluate([res(T.tg, "tg", { protocol: "HTTP", healthCheck: U })]),
                "res-alb-target-health",
                "healthCheck",
            ));
    });

    describe("net-cf-s3-grant", () => {
        it("passes a CloudFront grant scoped to the distribution's ARN", () =>
            expectClean(evaluate(distribution().all), "net-cf-s3-grant"));
        it("flags a grant without aws:SourceArn, and one scoped to every distribution", () => {
            const grant = (Condition?: Record<string, unknown>) => ({
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "cloudfront.amazonaws.com" },
                        Action: "s3:GetObject",
                        Resource: U,
                        ...(Condition ? { Condition } : {}),
                    },
                ],
            });
            const open = res(T.bucketPolicy, "open", { bucket: U, policy: grant() });
            const wide = res(T.bucketPolicy, "wide", {
                bucket: U,
                policy: grant({ ArnLike: { "aws:SourceArn": "arn:aws:cloudfront::123456789012:distribution/*" } }),
            });
            const report = evaluate([open, wide]);
            expectViolation(report, "net-cf-s3-grant", "for any distribution", open.urn);
            expectViolation(report, "net-cf-s3-grant", "which is not one distribution", wide.urn);
        });
        it("defers an unknown policy document", () =>
            expectDeferred(
                evaluate([res(T.bucketPolicy, "p", { bucket: U, policy: U })]),
                "net-cf-s3-grant",
                "policy document",
            ));
    });

    describe("tls-cloudfront-hsts", () => {
        it("passes a linked headers policy with a long HSTS max-age", () =>
            expectClean(evaluate(distribution().all), "tls-cloudfront-hsts"));
        it("flags a distribution without a headers policy and a policy with a short, overridable HSTS", () => {
            const bare = res(T.cdn, "bare", { defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https" } });
            const { all, headers } = distribution();
            headers.props.securityHeadersConfig = {
                strictTransportSecurity: { accessControlMaxAgeSec: 300, override: false },
            };
            const report = evaluate([bare, ...all]);
            expectViolation(report, "tls-cloudfront-hsts", "attaches no response headers policy", bare.urn);
            expectViolation(report, "tls-cloudfront-hsts", "HSTS max-age 300", headers.urn);
            expectViolation(report, "tls-cloudfront-hsts", "set override: true", headers.urn);
        });
        it("defers an unknown policy id that is not linked to this stack", () => {
            const d = res(T.cdn, "ext", {
                defaultCacheBehavior: { viewerProtocolPolicy: "https-only", responseHeadersPolicyId: U },
            });
            expectDeferred(evaluate([d]), "tls-cloudfront-hsts", "ext.defaultCacheBehavior.responseHeadersPolicyId");
        });
    });

    describe("net-waf-blocks", () => {
        it("passes an ACL whose managed group and rate rule block", () =>
            expectClean(evaluate(webAcl().all), "net-waf-blocks"));
        it("flags an empty ACL, a count-only ACL and a block-all ACL", () => {
            const empty = res(NT.webAcl, "empty", { scope: "REGIONAL", defaultAction: { allow: {} }, rules: [] });
            const counting = res(NT.webAcl, "counting", {
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                rules: [
                    {
                        name: "common",
                        priority: 1,
                        overrideAction: { count: {} },
                        statement: {
                            managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" },
                        },
                    },
                ],
            });
            const wall = res(NT.webAcl, "wall", { scope: "REGIONAL", defaultAction: { block: {} }, rules: [] });
            const report = evaluate([empty, counting, wall]);
            expectViolation(report, "net-waf-blocks", "has no rules", empty.urn);
            expectViolation(report, "net-waf-blocks", "only counts (rule common)", counting.urn);
            expectViolation(report, "net-waf-blocks", "blocks every request", wall.urn);
        });
        it("defers unknown rules", () =>
            expectDeferred(
                evaluate([res(NT.webAcl, "acl", { scope: "REGIONAL", defaultAction: { allow: {} }, rules: U })]),
                "net-waf-blocks",
                "acl.rules",
            ));
        it("reads ruleJson and standalone rule resources", () => {
            const json = res(NT.webAcl, "json", {
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                ruleJson: JSON.stringify([
                    {
                        Name: "ip",
                        Priority: 1,
                        Action: { Count: {} },
                        Statement: { IPSetReferenceStatement: { ARN: "x" } },
                    },
                ]),
            });
            const outOfLine = res(NT.webAcl, "ool", { scope: "REGIONAL", defaultAction: { allow: {} } });
            const rule = link(
                res(NT.webAclRule, "ool-sqli", {
                    webAclArn: U,
                    priority: 1,
                    action: { block: {} },
                    statement: { sqliMatchStatement: {} },
                }),
                "webAclArn",
                outOfLine,
            );
            const report = evaluate([json, outOfLine, rule]);
            expectViolation(report, "net-waf-blocks", "only counts (rule ip)", json.urn);
            expectClean(report, "net-waf-blocks", outOfLine.urn);
        });
    });

    describe("net-waf-rate-limit", () => {
        it("passes a blocking rate-based rule", () => expectClean(evaluate(webAcl().all), "net-waf-rate-limit"));
        it("flags an ACL whose rate rule only counts", () => {
            const { all, acl } = webAcl();
            (acl.props.rules as Record<string, unknown>[])[1].action = { count: {} };
            expectViolation(evaluate(all), "net-waf-rate-limit", "no enforcing rate-based rule", acl.urn);
        });
        it("leaves an ACL that blocks nothing to net-waf-blocks: one finding", () => {
            const { all, acl } = webAcl();
            const [common, rate] = acl.props.rules as Record<string, unknown>[];
            common.overrideAction = { count: {} };
            rate.action = { count: {} };
            const report = evaluate(all);
            expectClean(report, "net-waf-rate-limit");
            expectViolation(report, "net-waf-blocks", "only counts", acl.urn);
        });
        it("defers an unknown rule action", () => {
            const { all, acl } = webAcl();
            (acl.props.rules as Record<string, unknown>[])[1].action = U;
            expectDeferred(evaluate(all), "net-waf-rate-limit", "edge-waf rate-based rule");
        });
    });

    describe("log-waf", () => {
        it("passes logging that redacts authorization and cookie", () =>
            expectClean(evaluate(webAcl().all), "log-waf"));
        it("flags an ACL without logging, logging that keeps cookies, and a rule without metrics", () => {
            const { acl } = webAcl("a");
            (acl.props.rules as Record<string, unknown>[])[0].visibilityConfig = {
                cloudwatchMetricsEnabled: false,
                metricName: "x",
                sampledRequestsEnabled: true,
            };
            const b = webAcl("b");
            b.logging.props.redactedFields = [{ singleHeader: { name: "Authorization" } }];
            const report = evaluate([acl, ...b.all]);
            expectViolation(report, "log-waf", "has no logging configuration", acl.urn);
            expectViolation(report, "log-waf", "writes the cookie header(s) in clear", b.logging.urn);
            expectViolation(report, "log-waf", "rule aws-common publishes no CloudWatch metrics", acl.urn);
        });
        it("defers unknown redacted fields", () => {
            const { all, logging } = webAcl();
            logging.props.redactedFields = U;
            expectDeferred(evaluate(all), "log-waf", "edge-waf-logging.redactedFields");
        });
    });
});
