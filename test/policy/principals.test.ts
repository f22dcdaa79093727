import { expect } from "chai";
import { awsPrincipal, hasSourceCondition, judgeAccount, principalsOf } from "../../policy/rules/principals";
import { UNKNOWN } from "../../policy/rules/lib/unknowns";
import { doc, evaluate, expectClean, expectDeferred, expectViolation, link, res, T, U } from "./fixtures";

const OWN = "123456789012";
const OTHER = "999988887777";
const CFG = { "net-resource-principals": { accountIds: [OWN] }, "iam-role-trust": { accountIds: [OWN] } };
const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";
const SECRET_POLICY = "aws:secretsmanager/secretPolicy:SecretPolicy";

const allow = (principal: unknown, extra: Record<string, unknown> = {}) => ({
    Effect: "Allow",
    Principal: principal,
    Action: "sqs:SendMessage",
    Resource: "*",
    ...extra,
});
const queuePolicy = (...statements: Record<string, unknown>[]) =>
    res(T.queuePolicy, "qp", { queueUrl: U, policy: doc(...statements) });

describe("policy helpers: principals", () => {
    it("reads accounts from ids and IAM/STS ARNs, and everyone from every spelling of *", () => {
        expect(awsPrincipal("123456789012")).to.deep.equal({ kind: "account", value: "123456789012" });
        expect(awsPrincipal("arn:aws:iam::999988887777:root").value).to.equal("999988887777");
        expect(awsPrincipal("arn:aws:sts::999988887777:assumed-role/x/y").kind).to.equal("account");
        expect(principalsOf("*")[0].kind).to.equal("everyone");
        expect(principalsOf({ AWS: "*" })[0].kind).to.equal("everyone");
        expect(principalsOf({ AWS: ["arn:aws:iam::1:root", UNKNOWN] }).map((p) => p.kind)).to.deep.equal([
            "other",
            "unknown",
        ]);
        expect(principalsOf({ Service: ["SNS.amazonaws.com"] })).to.deep.equal([
            { kind: "service", value: "sns.amazonaws.com" },
        ]);
    });

    it("knows the confused-deputy guard keys", () => {
        expect(hasSourceCondition({ StringEquals: { "aws:SourceAccount": OWN } })).to.equal(true);
        expect(hasSourceCondition({ ArnLike: { "AWS:SourceArn": "arn:aws:s3:::b" } })).to.equal(true);
        expect(hasSourceCondition({ Bool: { "aws:SecureTransport": "true" } })).to.equal(false);
        expect(hasSourceCondition(UNKNOWN)).to.equal(UNKNOWN);
    });

    it("judges an account only when this account is known", () => {
        expect(judgeAccount(OWN, new Set([OWN]), [])).to.equal("own");
        expect(judgeAccount(OTHER, new Set([OWN]), [OTHER])).to.equal("trusted");
        expect(judgeAccount(OTHER, new Set([OWN]), [])).to.equal("foreign");
        expect(judgeAccount(OTHER, new Set(), [])).to.equal("unverifiable");
    });
});

describe("net-resource-principals", () => {
    it("passes grants to this account and conditioned services", () => {
        const p = queuePolicy(
            allow({ AWS: `arn:aws:iam::${OWN}:role/app` }),
            allow(
                { Service: "sns.amazonaws.com" },
                { Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t" } } },
            ),
        );
        expectClean(evaluate([p], CFG), "net-resource-principals");
    });

    it("flags a foreign account, as a root ARN or a bare id, in each policy-bearing type", () => {
        for (const [type, name] of [
            [T.queuePolicy, "qp"],
            [T.bucketPolicy, "bp"],
            [T.topicPolicy, "tp"],
            [T.kms, "key"],
            [T.ecrPolicy, "ecr"],
            [T.secret, "secret"],
            [SECRET_POLICY, "sp"],
        ] as const) {
            const r = res(type, name, {
                policy: doc(allow({ AWS: `arn:aws:iam::${OTHER}:root` }), allow({ AWS: OTHER })),
            });
            expectViolation(evaluate([r], CFG), "net-resource-principals", `grants account ${OTHER}`, r.urn);
        }
    });

    it("allow-lists an account from pack config", () => {
        const cfg = { "net-resource-principals": { accountIds: [OWN], trustedAccountIds: [OTHER] } };
        expectClean(evaluate([queuePolicy(allow({ AWS: OTHER }))], cfg), "net-resource-principals");
    });

    it("learns this account from ARNs of the stack's own resources", () => {
        const key = res(T.kms, "k", { enableKeyRotation: true });
        const topic = link(
            res(T.topic, "t", { kmsMasterKeyId: `arn:aws:kms:us-east-1:${OWN}:key/abc` }),
            "kmsMasterKeyId",
            key,
        );
        const report = evaluate([key, topic, queuePolicy(allow({ AWS: OWN }), allow({ AWS: OTHER }))]);
        expectViolation(
            report,
            "net-resource-principals",
            `grants account ${OTHER}, which is not this account (${OWN})`,
        );
    });

    it("flags a service principal without aws:SourceArn / aws:SourceAccount (confused deputy)", () => {
        const p = queuePolicy(allow({ Service: "s3.amazonaws.com" }));
        expectViolation(
            evaluate([p], CFG),
            "net-resource-principals",
            "grants service s3.amazonaws.com without aws:SourceArn",
        );
    });

    it("leaves CloudFront's grant in a bucket policy to net-cf-s3-grant: one finding", () => {
        const bp = res(T.bucketPolicy, "assets", {
            bucket: U,
            policy: doc(allow({ Service: "cloudfront.amazonaws.com" }, { Action: "s3:GetObject" })),
        });
        const report = evaluate([bp], CFG);
        expectClean(report, "net-resource-principals");
        expectViolation(report, "net-cf-s3-grant", "for any distribution", bp.urn);
    });

    it("checks a Lambda permission's account, leaving everyone and services to net-lambda-permission", () => {
        const foreign = res(LAMBDA_PERMISSION, "foreign", {
            action: "lambda:InvokeFunction",
            function: U,
            principal: OTHER,
        });
        const bare = res(LAMBDA_PERMISSION, "bare", {
            action: "lambda:InvokeFunction",
            function: U,
            principal: "s3.amazonaws.com",
        });
        const ok = res(LAMBDA_PERMISSION, "ok", {
            action: "lambda:InvokeFunction",
            function: U,
            principal: "events.amazonaws.com",
            sourceArn: U,
        });
        const anyone = res(LAMBDA_PERMISSION, "anyone", {
            action: "lambda:InvokeFunction",
            function: U,
            principal: "*",
        });
        const report = evaluate([foreign, bare, ok, anyone], CFG);
        expectViolation(report, "net-resource-principals", `grants account ${OTHER}`, foreign.urn);
        expectClean(report, "net-lambda-permission", foreign.urn);
        // One finding per mistake: the bare service and "*" are reported by net-lambda-permission only.
        expectClean(report, "net-resource-principals", bare.urn);
        expectViolation(report, "net-lambda-permission", "for any s3 resource", bare.urn);
        expectClean(report, "net-resource-principals", anyone.urn);
        expectViolation(report, "net-lambda-permission", "lets any AWS account invoke", anyone.urn);
        expectClean(report, "net-resource-principals", ok.urn);
    });

    it("defers a principal built from an Output, and an account it cannot place", () => {
        const fromOutput = res(T.queuePolicy, "qp", {
            queueUrl: U,
            policy: { Version: "2012-10-17", Statement: [allow({ AWS: U })] },
        });
        expectDeferred(evaluate([fromOutput], CFG), "net-resource-principals", "principal (built from an Output)");
        expectDeferred(
            evaluate([queuePolicy(allow({ AWS: OTHER }))]),
            "net-resource-principals",
            "set accountIds in the pack config",
        );
    });

    it("net-resource-policies now reads Secrets Manager policies too", () => {
        const sp = res(SECRET_POLICY, "sp", {
            secretArn: U,
            policy: doc({
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "secretsmanager:GetSecretValue",
                Resource: "*",
            }),
        });
        expectViolation(evaluate([sp]), "net-resource-policies", "without a scoping condition");
    });
    it("lets the regional ELB account write access logs under AWSLogs/, and nothing else in the bucket", () => {
        const elb = "arn:aws:iam::127311923021:root";
        const grant = (resource: string) =>
            res(T.bucketPolicy, "alb-logs", {
                bucket: U,
                policy: doc({ Effect: "Allow", Principal: { AWS: elb }, Action: "s3:PutObject", Resource: resource }),
            });
        expectClean(evaluate([grant(`arn:aws:s3:::alb-logs/AWSLogs/${OWN}/*`)], CFG), "net-resource-principals");
        expectViolation(evaluate([grant("arn:aws:s3:::alb-logs/*")], CFG), "net-resource-principals", "127311923021");
    });
});

describe("iam-role-trust", () => {
    const role = (name: string, ...statements: Record<string, unknown>[]) =>
        res(T.role, name, { assumeRolePolicy: doc(...statements) });
    const trust = (principal: unknown, extra: Record<string, unknown> = {}) => ({
        Effect: "Allow",
        Principal: principal,
        Action: "sts:AssumeRole",
        ...extra,
    });
    const guard = { Condition: { StringEquals: { "aws:SourceAccount": OWN } } };

    it("passes a service role with a source condition, and this account's principals", () => {
        const report = evaluate(
            [
                role("task", trust({ Service: "ecs-tasks.amazonaws.com" }, guard)),
                role("admin", trust({ AWS: `arn:aws:iam::${OWN}:role/deployer` })),
                role("ec2", trust({ Service: "ec2.amazonaws.com" })),
            ],
            CFG,
        );
        expectClean(report, "iam-role-trust");
    });

    it("flags everyone, a foreign account and an unguarded service", () => {
        const anyone = role("anyone", trust({ AWS: "*" }));
        const foreign = role("foreign", trust({ AWS: `arn:aws:iam::${OTHER}:root` }));
        const lambda = role("fn", trust({ Service: "lambda.amazonaws.com" }));
        const report = evaluate([anyone, foreign, lambda], CFG);
        expectViolation(report, "iam-role-trust", "lets anyone assume", anyone.urn);
        expectViolation(report, "iam-role-trust", `trusts account ${OTHER}`, foreign.urn);
        expectViolation(report, "iam-role-trust", "trusts lambda.amazonaws.com without aws:SourceAccount", lambda.urn);
    });

    it("defers an unknown trust policy or principal", () => {
        expectDeferred(
            evaluate([res(T.role, "r", { assumeRolePolicy: U })], CFG),
            "iam-role-trust",
            "r.assumeRolePolicy",
        );
        const fromOutput = res(T.role, "r2", { assumeRolePolicy: { Statement: [trust({ AWS: U })] } });
        expectDeferred(evaluate([fromOutput], CFG), "iam-role-trust", "built from an Output");
    });
});

describe("iam-no-wildcard: PassRole, GetSecretValue, Decrypt on *", () => {
    const policy = (action: string, resource: unknown = "*") =>
        res(T.iamPolicy, "p", {
            policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [action], Resource: resource }] },
        });

    it("passes them on named resources", () => {
        expectClean(evaluate([policy("iam:PassRole", "arn:aws:iam::123456789012:role/task")]), "iam-no-wildcard");
        expectClean(evaluate([policy("secretsmanager:GetSecretValue", [U])]), "iam-no-wildcard");
    });

    it("flags them on *", () => {
        expectViolation(evaluate([policy("iam:PassRole")]), "iam-no-wildcard", 'iam:PassRole on Resource "*"');
        expectViolation(evaluate([policy("iam:Pass*")]), "iam-no-wildcard", "iam:PassRole");
        expectViolation(evaluate([policy("secretsmanager:GetSecretValue")]), "iam-no-wildcard", "every secret");
        expectViolation(evaluate([policy("kms:Decrypt")]), "iam-no-wildcard", "every key");
    });

    it("defers an unknown resource list", () => {
        expectDeferred(evaluate([policy("iam:PassRole", U)]), "iam-no-wildcard", "iam:PassRole resource");
    });
});
