import { expect } from "chai";
import { deprecatedSince } from "../../policy/rules/functions";
import { evaluate, expectClean, expectDeferred, expectViolation, link, res, U } from "./fixtures";
import { goodFunctionProps, lambdaFunction, NT } from "./fixtures-next";

const fn = (overrides: Record<string, unknown>, name = "fn") =>
    res(NT.lambda, name, goodFunctionProps({ name, ...overrides }));
const permission = (props: Record<string, unknown>, name = "perm") =>
    res(NT.permission, name, { action: "lambda:InvokeFunction", function: U, ...props });

describe("policy family: functions (Lambda)", () => {
    describe("iam-lambda-env-secrets", () => {
        it("passes configuration values and secret ARNs", () =>
            expectClean(evaluate(lambdaFunction().all), "iam-lambda-env-secrets"));
        it("flags credentials by value shape and by name", () => {
            const report = evaluate([
                fn({
                    environment: {
                        variables: { REDIS_URL: "rediss://default:s3cr3t@cache:6379", STRIPE_API_KEY: "test-key-123" },
                    },
                }),
            ]);
            expectViolation(
                report,
                "iam-lambda-env-secrets",
                "REDIS_URL looks like a credential (a URL with an embedded password",
            );
            expectViolation(
                report,
                "iam-lambda-env-secrets",
                "STRIPE_API_KEY looks like a credential (a secret-sounding name",
            );
        });
        it("defers unknown variables", () =>
            expectDeferred(
                evaluate([fn({ environment: { variables: U } })]),
                "iam-lambda-env-secrets",
                "environment.variables",
            ));
    });

    describe("enc-lambda-env-cmk", () => {
        it("passes variables encrypted with a CMK (an unknown key ARN is present)", () =>
            expectClean(evaluate(lambdaFunction().all), "enc-lambda-env-cmk"));
        it("flags variables without kmsKeyArn, not a function without variables", () => {
            const plain = fn({ kmsKeyArn: undefined });
            const empty = fn({ kmsKeyArn: undefined, environment: undefined }, "empty");
            const report = evaluate([plain, empty]);
            expectViolation(report, "enc-lambda-env-cmk", "but no kmsKeyArn", plain.urn);
            expectClean(report, "enc-lambda-env-cmk", empty.urn);
        });
        it("defers unknown variables without a key", () =>
            expectDeferred(
                evaluate([fn({ kmsKeyArn: undefined, environment: { variables: U } })]),
                "enc-lambda-env-cmk",
                "environment.variables",
            ));
    });

    describe("net-lambda-url-auth", () => {
        it("passes an IAM-authenticated URL", () => expectClean(evaluate(lambdaFunction().all), "net-lambda-url-auth"));
        it("flags a public URL", () =>
            expectViolation(
                evaluate([res(NT.functionUrl, "u", { functionName: U, authorizationType: "NONE" })]),
                "net-lambda-url-auth",
                'authorizationType is "NONE"',
            ));
        it("defers an unknown auth type", () =>
            expectDeferred(
                evaluate([res(NT.functionUrl, "u", { functionName: U, authorizationType: U })]),
                "net-lambda-url-auth",
                "authorizationType",
            ));
    });

    describe("net-lambda-permission", () => {
        it("passes a service principal scoped by sourceArn, S3 with sourceAccount, and an account principal", () => {
            const s3 = permission({ principal: "s3.amazonaws.com", sourceArn: U, sourceAccount: "123456789012" }, "s3");
            const account = permission({ principal: "123456789012" }, "acct");
            expectClean(evaluate([...lambdaFunction().all, s3, account]), "net-lambda-permission");
        });
        it("flags public, unscoped service and S3-without-account permissions", () => {
            const pub = permission({ principal: "*" }, "pub");
            const url = permission(
                { principal: "*", action: "lambda:InvokeFunctionUrl", functionUrlAuthType: "NONE" },
                "url",
            );
            const events = permission({ principal: "events.amazonaws.com" }, "events");
            const s3 = permission({ principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::uploads" }, "s3");
            const report = evaluate([pub, url, events, s3]);
            expectViolation(report, "net-lambda-permission", "lets any AWS account invoke", pub.urn);
            expectViolation(report, "net-lambda-permission", "without authentication", url.urn);
            expectViolation(report, "net-lambda-permission", "for any events resource", events.urn);
            expectViolation(report, "net-lambda-permission", "also set sourceAccount", s3.urn);
        });
        it("defers an unknown principal", () =>
            expectDeferred(evaluate([permission({ principal: U })]), "net-lambda-permission", "principal"));
    });

    describe("res-lambda-runtime", () => {
        it("passes a supported runtime and container images", () =>
            expectClean(
                evaluate([
                    fn({ runtime: "python3.13" }),
                    fn({ packageType: "Image", runtime: undefined, imageUri: U }, "img"),
                ]),
                "res-lambda-runtime",
            ));
        it("flags a deprecated runtime with its date", () =>
            expectViolation(
                evaluate([fn({ runtime: "nodejs16.x" })]),
                "res-lambda-runtime",
                "nodejs16.x was deprecated on 2024-06-12",
            ));
        it("defers an unknown runtime", () =>
            expectDeferred(evaluate([fn({ runtime: U })]), "res-lambda-runtime", "runtime"));
        it("dates deprecation by the AWS table", () => {
            expect(deprecatedSince("nodejs20.x", new Date("2026-04-29T12:00:00Z"))).to.equal(undefined);
            expect(deprecatedSince("nodejs20.x", new Date("2026-05-01T00:00:00Z"))).to.equal("2026-04-30");
            expect(deprecatedSince("nodejs24.x")).to.equal(undefined);
        });
    });

    describe("res-lambda-async-failure", () => {
        it("passes a DLQ, an on-failure destination, and exempt synchronous functions", () => {
            const dest = fn({ deadLetterConfig: undefined }, "dest");
            const config = link(
                res(NT.invokeConfig, "dest-invoke", {
                    functionName: U,
                    destinationConfig: { onFailure: { destination: U } },
                }),
                "functionName",
                dest,
            );
            const sync = fn({ deadLetterConfig: undefined }, "sync");
            expectClean(
                evaluate([...lambdaFunction().all, dest, config, sync], {
                    "res-lambda-async-failure": { exempt: ["sync"] },
                }),
                "res-lambda-async-failure",
            );
        });
        it("flags a function without either", () => {
            const bare = fn({ deadLetterConfig: undefined });
            expectViolation(evaluate([bare]), "res-lambda-async-failure", "drops asynchronous events", bare.urn);
        });
        it("treats an unknown DLQ ARN as present (the queue of this program)", () =>
            expectClean(evaluate([fn({ deadLetterConfig: { targetArn: U } })]), "res-lambda-async-failure"));
    });
});
