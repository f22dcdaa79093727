import { expect } from "chai";
import { decided, doc, evaluate, expectClean, expectDeferred, expectViolation, link, res, T, U } from "./fixtures";

const ECS_TRUST = doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" });

describe("policy family: iam", () => {
    describe("iam-no-wildcard", () => {
        it("passes scoped statements (string or object documents)", () => {
            const p = res(T.iamPolicy, "p", {
                policy: doc(
                    { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::b/*" },
                    { Effect: "Allow", Action: "ec2:Describe*", Resource: "*" },
                ),
            });
            const rp = res(T.rolePolicy, "rp", {
                role: U,
                policy: { Statement: { Effect: "Allow", Action: "kms:Decrypt", Resource: [U] } },
            });
            expectClean(evaluate([p, rp]), "iam-no-wildcard");
        });

        it("flags * and svc:* on *, NotAction on *, and kms:Decrypt on * (Statement as a single object)", () => {
            const admin = res(T.iamPolicy, "admin", {
                policy: JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }),
            });
            const s3 = res(T.rolePolicy, "s3", {
                role: U,
                policy: doc({ Sid: "AllS3", Effect: "Allow", Action: ["s3:*"], Resource: ["*"] }),
            });
            const notAction = res(T.iamPolicy, "not-action", {
                policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
            });
            const decrypt = res(T.rolePolicy, "decrypt", {
                role: U,
                policy: doc({ Effect: "Allow", Action: ["kms:Decrypt*"], Resource: "*" }),
            });
            const inline = res(T.role, "role", {
                assumeRolePolicy: ECS_TRUST,
                inlinePolicies: [
                    { name: "wide", policy: doc({ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }) },
                ],
            });
            const report = evaluate([admin, s3, notAction, decrypt, inline]);
            expectViolation(report, "iam-no-wildcard", 'Action ["*"] on Resource "*"', admin.urn);
            expectViolation(report, "iam-no-wildcard", "statement AllS3", s3.urn);
            expectViolation(report, "iam-no-wildcard", "NotAction", notAction.urn);
            expectViolation(report, "iam-no-wildcard", 'kms:Decrypt on Resource "*"', decrypt.urn);
            expectViolation(report, "iam-no-wildcard", "inlinePolicies[wide]", inline.urn);
        });

        it("ignores Deny statements", () => {
            expectClean(
                evaluate([res(T.iamPolicy, "p", { policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) })]),
                "iam-no-wildcard",
            );
        });

        it("defers an unknown document, and a wildcard action on an unknown resource", () => {
            expectDeferred(evaluate([res(T.iamPolicy, "p", { policy: U })]), "iam-no-wildcard", "policy document");
            const report = evaluate([
                res(T.rolePolicy, "rp", {
                    role: U,
                    policy: { Statement: [{ Effect: "Allow", Action: "s3:*", Resource: U }] },
                }),
            ]);
            expectDeferred(report, "iam-no-wildcard", "Statement[0] Action/Resource");
            expect(decided(report, "iam-no-wildcard")).to.deep.equal([]);
        });
    });

    describe("iam-no-admin-attach", () => {
        it("passes least-privilege managed policies", () => {
            const a = res(T.attachment, "a", {
                role: U,
                policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            });
            const r = res(T.role, "r", {
                assumeRolePolicy: ECS_TRUST,
                managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            });
            expectClean(evaluate([a, r]), "iam-no-admin-attach");
        });

        it("flags AdministratorAccess, PowerUserAccess and IAMFullAccess", () => {
            const a = res(T.attachment, "a", { role: U, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
            const r = res(T.role, "r", {
                assumeRolePolicy: ECS_TRUST,
                managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/IAMFullAccess"],
            });
            const report = evaluate([a, r]);
            expectViolation(report, "iam-no-admin-attach", "AdministratorAccess", a.urn);
            expectViolation(report, "iam-no-admin-attach", "PowerUserAccess", r.urn);
            expectViolation(report, "iam-no-admin-attach", "IAMFullAccess", r.urn);
        });

        it("defers an unknown list of ARNs; an unknown ARN element is a policy of this program", () => {
            expectDeferred(
                evaluate([res(T.role, "r", { assumeRolePolicy: ECS_TRUST, managedPolicyArns: U })]),
                "iam-no-admin-attach",
                "managedPolicyArns",
            );
            expectClean(evaluate([res(T.attachment, "a", { role: U, policyArn: U })]), "iam-no-admin-attach");
        });
    });

    describe("iam-ecs-roles", () => {
        function taskDef(task: ReturnType<typeof res>, exec: ReturnType<typeof res>) {
            return link(
                link(
                    res(T.taskDef, "td", {
                        family: "app",
                        containerDefinitions: U,
                        taskRoleArn: U,
                        executionRoleArn: U,
                    }),
                    "taskRoleArn",
                    task,
                ),
                "executionRoleArn",
                exec,
            );
        }

        it("passes separate roles trusted only by ecs-tasks", () => {
            const task = res(T.role, "task", { assumeRolePolicy: ECS_TRUST });
            const exec = res(T.role, "exec", {
                assumeRolePolicy: {
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: ["ecs-tasks.amazonaws.com"] },
                            Action: "sts:AssumeRole",
                        },
                    ],
                },
            });
            expectClean(evaluate([task, exec, taskDef(task, exec)]), "iam-ecs-roles");
        });

        it("flags one role for both, and a role trusted by another principal", () => {
            const shared = res(T.role, "shared", { assumeRolePolicy: ECS_TRUST });
            const td = taskDef(shared, shared);
            const wide = res(T.role, "wide", {
                assumeRolePolicy: doc({
                    Effect: "Allow",
                    Principal: { Service: "ecs-tasks.amazonaws.com", AWS: "arn:aws:iam::123456789012:root" },
                    Action: "sts:AssumeRole",
                }),
            });
            const exec = res(T.role, "exec", { assumeRolePolicy: ECS_TRUST });
            const td2 = link(
                link(
                    res(T.taskDef, "td2", {
                        family: "b",
                        containerDefinitions: "[]",
                        taskRoleArn: U,
                        executionRoleArn: U,
                    }),
                    "taskRoleArn",
                    wide,
                ),
                "executionRoleArn",
                exec,
            );
            const report = evaluate([shared, td, wide, exec, td2]);
            expectViolation(report, "iam-ecs-roles", "uses the same role", td.urn);
            expectViolation(report, "iam-ecs-roles", "principals other than ecs-tasks.amazonaws.com", wide.urn);
        });

        it("compares literal role ARNs too", () => {
            const td = res(T.taskDef, "td", {
                family: "a",
                containerDefinitions: "[]",
                taskRoleArn: "arn:aws:iam::1:role/app",
                executionRoleArn: "arn:aws:iam::1:role/app",
            });
            expectViolation(evaluate([td]), "iam-ecs-roles", "uses the same role");
        });

        it("defers an unknown trust policy", () => {
            const task = res(T.role, "task", { assumeRolePolicy: U });
            const exec = res(T.role, "exec", { assumeRolePolicy: ECS_TRUST });
            expectDeferred(evaluate([task, exec, taskDef(task, exec)]), "iam-ecs-roles", "task.assumeRolePolicy");
        });
    });

    describe("iam-ecs-secrets", () => {
        const container = (extra: Record<string, unknown> = {}) => ({
            name: "web",
            image: "nginx",
            essential: true,
            readonlyRootFilesystem: true,
            logConfiguration: { logDriver: "awslogs", options: {} },
            environment: [{ name: "PORT", value: "8080" }],
            secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:eu-west-1:1:secret:db" }],
            ...extra,
        });

        it("passes secrets via secrets[] and a read-only, unprivileged container", () => {
            expectClean(
                evaluate([res(T.taskDef, "td", { family: "a", containerDefinitions: JSON.stringify([container()]) })]),
                "iam-ecs-secrets",
            );
        });

        it("flags secret-looking env vars, privileged, a writable root and pidMode host", () => {
            const defs = JSON.stringify([
                container({
                    environment: [
                        { name: "DB_PASSWORD", value: "hunter2" },
                        { name: "api_token", value: "x" },
                        { name: "SMTP_CREDENTIALS", value: "mailer:hunter2" },
                    ],
                    privileged: true,
                    readonlyRootFilesystem: false,
                }),
            ]);
            const report = evaluate([
                res(T.taskDef, "td", { family: "a", pidMode: "host", containerDefinitions: defs }),
            ]);
            expectViolation(report, "iam-ecs-secrets", "passes DB_PASSWORD as a plain environment variable");
            expectViolation(report, "iam-ecs-secrets", "api_token");
            expectViolation(report, "iam-ecs-secrets", "SMTP_CREDENTIALS");
            expectViolation(report, "iam-ecs-secrets", "runs privileged");
            expectViolation(report, "iam-ecs-secrets", "writable root filesystem");
            expectViolation(report, "iam-ecs-secrets", 'pidMode is "host"');
        });

        it("leaves a name whose value is itself a credential to iam-ecs-env-values: one finding", () => {
            const url = "postgres://app:hunter2@db.internal:5432/app";
            const defs = JSON.stringify([container({ environment: [{ name: "DB_PASSWORD_URL", value: url }] })]);
            const report = evaluate([res(T.taskDef, "td", { family: "a", containerDefinitions: defs })]);
            expectClean(report, "iam-ecs-secrets");
            expectViolation(report, "iam-ecs-env-values", "DB_PASSWORD_URL in plain text");
        });

        it("allows listed names and flags malformed JSON", () => {
            const defs = JSON.stringify([container({ environment: [{ name: "SECRET_ARN", value: "arn:..." }] })]);
            expectClean(
                evaluate([res(T.taskDef, "td", { family: "a", containerDefinitions: defs })], {
                    "iam-ecs-secrets": { allowedEnvNames: ["SECRET_ARN"] },
                }),
                "iam-ecs-secrets",
            );
            expectViolation(
                evaluate([res(T.taskDef, "td", { family: "a", containerDefinitions: "[{" })]),
                "iam-ecs-secrets",
                "not valid JSON",
            );
        });

        it("defers unknown container definitions (advisory at preview)", () => {
            expectDeferred(
                evaluate([res(T.taskDef, "td", { family: "a", containerDefinitions: U })]),
                "iam-ecs-secrets",
                "containerDefinitions",
            );
        });
    });

    describe("iam-oidc-trust", () => {
        const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        const AUD = "token.actions.githubusercontent.com:aud";
        const SUB = "token.actions.githubusercontent.com:sub";
        const github = (condition: Record<string, unknown>, principal: unknown = { Federated: PROVIDER }) =>
            ({
                Effect: "Allow",
                Principal: principal,
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: condition,
            }) as Record<string, unknown>;
        const role = (name: string, ...statements: Record<string, unknown>[]) =>
            res(T.role, name, { assumeRolePolicy: doc(...statements) });

        it("passes the audience and subjects that each name one repository, in either of GitHub's forms", () => {
            const report = evaluate([
                role(
                    "deploy",
                    github({
                        StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: "repo:acme/web:environment:production" },
                    }),
                ),
                role(
                    "preview",
                    github({
                        StringEquals: { [AUD]: "sts.amazonaws.com" },
                        StringLike: { [SUB]: ["repo:acme/web:pull_request", "repo:acme/web:ref:refs/heads/*"] },
                    }),
                ),
                role(
                    "immutable",
                    github({
                        StringEquals: {
                            [AUD]: ["sts.amazonaws.com"],
                            [SUB]: "repo:acme@123456/web@456789:ref:refs/heads/main",
                        },
                    }),
                ),
                // A document given as an object whose provider ARN is an Output: the condition keys say it is GitHub's.
                res(T.role, "from-output", {
                    assumeRolePolicy: {
                        Statement: [
                            github(
                                { StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: "repo:acme/web:pull_request" } },
                                { Federated: U },
                            ),
                        ],
                    },
                }),
                // Other identity providers are not this rule's concern.
                role(
                    "eks",
                    github(
                        {
                            StringEquals: {
                                "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:x:y",
                            },
                        },
                        {
                            Federated:
                                "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
                        },
                    ),
                ),
            ]);
            expectClean(report, "iam-oidc-trust");
        });

        it("flags a missing or wildcard subject, and a missing or other audience", () => {
            const noSub = role("no-sub", github({ StringEquals: { [AUD]: "sts.amazonaws.com" } }));
            const anyRepo = role(
                "any-repo",
                github({ StringEquals: { [AUD]: "sts.amazonaws.com" }, StringLike: { [SUB]: "*" } }),
            );
            const anyOfOwner = role(
                "any-of-owner",
                github({
                    StringEquals: { [AUD]: "sts.amazonaws.com" },
                    StringLike: { [SUB]: ["repo:acme/web:*", "repo:acme/*"] },
                }),
            );
            const anyOwner = role(
                "any-owner",
                github({ StringEquals: { [AUD]: "sts.amazonaws.com" }, StringLike: { [SUB]: "repo:*" } }),
            );
            const noAud = role("no-aud", github({ StringEquals: { [SUB]: "repo:acme/web:pull_request" } }));
            const otherAud = role(
                "other-aud",
                github({ StringEquals: { [AUD]: "https://github.com/acme", [SUB]: "repo:acme/web:pull_request" } }),
            );
            // ForAllValues passes when the key is absent: it does not condition the subject.
            const forAll = role(
                "for-all",
                github({
                    StringEquals: { [AUD]: "sts.amazonaws.com" },
                    "ForAllValues:StringLike": { [SUB]: "repo:acme/web:*" },
                }),
            );
            const report = evaluate([noSub, anyRepo, anyOfOwner, anyOwner, noAud, otherAud, forAll]);
            expectViolation(report, "iam-oidc-trust", "a workflow in any repository on GitHub", noSub.urn);
            expectViolation(report, "iam-oidc-trust", 'the subject(s) ["*"]', anyRepo.urn);
            expectViolation(report, "iam-oidc-trust", '["repo:acme/*"]', anyOfOwner.urn);
            expectViolation(report, "iam-oidc-trust", '["repo:*"]', anyOwner.urn);
            expectViolation(
                report,
                "iam-oidc-trust",
                'without StringEquals "token.actions.githubusercontent.com:aud"',
                noAud.urn,
            );
            expectViolation(report, "iam-oidc-trust", 'accepts the audience ["https://github.com/acme"]', otherAud.urn);
            expectViolation(report, "iam-oidc-trust", "a workflow in any repository on GitHub", forAll.urn);
        });

        it("flags a trust granted through sts:* or a NotAction, not only the named action", () => {
            const star = role("star", { ...github({ StringEquals: { [AUD]: "sts.amazonaws.com" } }), Action: "sts:*" });
            const { Action: _, ...rest } = github({ StringEquals: { [AUD]: "sts.amazonaws.com" } });
            const notAction = role("not-action", { ...rest, NotAction: "sts:AssumeRole" });
            const excluded = role("excluded", { ...rest, NotAction: "sts:AssumeRoleWith*" });
            const report = evaluate([star, notAction, excluded]);
            expectViolation(report, "iam-oidc-trust", "a workflow in any repository on GitHub", star.urn);
            expectViolation(report, "iam-oidc-trust", "a workflow in any repository on GitHub", notAction.urn);
            expectClean(report, "iam-oidc-trust", excluded.urn);
        });

        it("defers an unknown trust policy, subject or unattributable principal", () => {
            expectDeferred(evaluate([res(T.role, "r", { assumeRolePolicy: U })]), "iam-oidc-trust", "assumeRolePolicy");
            const sub = res(T.role, "sub", {
                assumeRolePolicy: { Statement: [github({ StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: U } })] },
            });
            expectDeferred(evaluate([sub]), "iam-oidc-trust", "Condition");
            const unattributable = res(T.role, "who", {
                assumeRolePolicy: {
                    Statement: [
                        { Effect: "Allow", Principal: { Federated: U }, Action: "sts:AssumeRoleWithWebIdentity" },
                    ],
                },
            });
            const report = evaluate([unattributable]);
            expectDeferred(report, "iam-oidc-trust", "principal and action");
            expect(decided(report, "iam-oidc-trust")).to.deep.equal([]);
        });
    });
});
