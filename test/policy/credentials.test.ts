import { expect } from "chai";
import {
    credentialShape,
    entropy,
    isCredentialName,
    isHighEntropyToken,
    secretInEnv,
} from "../../policy/rules/lib/credentials";
import {
    evaluate,
    expectClean,
    expectDeferred,
    expectViolation,
    goodDbProps,
    goodRedisProps,
    link,
    res,
    T,
    U,
} from "./fixtures";

const LAMBDA = "aws:lambda/function:Function";
const AMPLIFY = "aws:amplify/app:App";
const RANDOM = "random:index/randomPassword:RandomPassword";
// Built at run time so no credential-shaped literal sits in the source (secret scanners read tests too).
const AKIA = ["AKIA", "IOSFODNN7", "EXAMPLE"].join("");
const PEM = ["-----BEGIN RSA ", "PRIVATE KEY-----\nMIIB...\n-----END RSA ", "PRIVATE KEY-----"].join("");
const TOKEN = "q8Zr2Lx0Vb7Nw4Tk9Hs1Pm6Yd3Fg5Jc";

describe("policy helper: credential shapes", () => {
    it("recognizes credentials by shape", () => {
        expect(credentialShape(AKIA)).to.include("an AWS access key id");
        expect(credentialShape(`prefix ${AKIA.replace("AKIA", "ASIA")} suffix`)).to.include("an AWS access key id");
        expect(credentialShape(PEM)).to.equal("a private key block");
        expect(credentialShape("postgres://app:hunter2@db.internal:5432/app")).to.include("a URL with an embedded");
        expect(credentialShape(TOKEN)).to.equal("a long random token");
    });

    it("leaves ordinary values and references alone", () => {
        for (const v of [
            "https://api.example.com/v1",
            "production",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:x",
            "[secret]",
            "3f2c1b9e-4a5d-4c3b-9e8f-0a1b2c3d4e5f",
            "d41d8cd98f00b204e9800998ecf8427e",
            "/var/app/config.json",
            "postgres://db.internal:5432/app",
            "The quick brown fox jumps",
            "3f786850e387550fdab836ed7e6dc881de23001b",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2",
            // S3 names a bucket from a prefix with a 26-digit suffix; the env of every service carries two.
            "groundwork-prod-uploads-20261203081234567800000001",
        ]) {
            expect(credentialShape(v), v).to.equal(undefined);
        }
        expect(isHighEntropyToken("aaaaaaaaaaaaaaaaaaaaaaaa1")).to.equal(false);
        // Still a token: mixed case, or lower case without two words between hyphens.
        expect(isHighEntropyToken("q8Zr2Lx0-Vb7Nw4Tk9Hs1Pm6Yd3Fg5Jc")).to.equal(true);
        expect(isHighEntropyToken("k3j9x2m8q7w4-z6v1b5n0c4x8")).to.equal(true);
        expect(entropy("abab")).to.equal(1);
    });

    it("reads names: secrets, not references to them", () => {
        for (const n of ["DB_PASSWORD", "API_KEY", "STRIPE_SECRET", "AUTH_TOKEN", "aws_secret_access_key"]) {
            expect(isCredentialName(n), n).to.equal(true);
        }
        for (const n of ["JWT_SECRET_ARN", "SECRET_NAME", "TOKEN_URL", "LOG_LEVEL", "PASSWORD_LENGTH", "AUTHOR"]) {
            expect(isCredentialName(n), n).to.equal(false);
        }
    });

    it("judges an environment variable once: by value shape first, then by name, never a reference", () => {
        expect(secretInEnv("DATABASE_URL", "postgres://app:pw@db:5432/app")?.kind).to.equal("value");
        expect(secretInEnv("API_KEY", "abc")?.kind).to.equal("name");
        expect(secretInEnv("API_KEY", "abc", ["API_KEY"])).to.equal(undefined);
        expect(secretInEnv("DB_PASSWORD", "[secret]")).to.equal(undefined);
        expect(secretInEnv("DB_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:x")).to.equal(undefined);
        expect(secretInEnv("DB_PASSWORD", "/app/prod/db-password")).to.equal(undefined);
    });
});

describe("iam-no-literal-credentials", () => {
    it("passes a managed RDS password, an AUTH token from a RandomPassword, and plain Amplify settings", () => {
        const random = res(RANDOM, "token", { length: 64 });
        const cache = link(res(T.redis, "cache", goodRedisProps({ authToken: "[secret]" })), "authToken", random);
        const db = res(T.rds, "db", goodDbProps({ manageMasterUserPassword: true }));
        const app = res(AMPLIFY, "site", {
            environmentVariables: {
                LOG_LEVEL: "info",
                API_URL: "https://api.example.com",
                TOKEN_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:t",
                DB_PASSWORD: U,
            },
        });
        expectClean(evaluate([random, cache, db, app]), "iam-no-literal-credentials");
    });

    it("flags a literal password and AUTH token, and Amplify credentials by shape or name", () => {
        const db = res(T.rds, "db", goodDbProps({ password: "hunter2hunter2" }));
        const cache = res(T.redis, "cache", goodRedisProps({ authToken: "a-literal-token-of-16+" }));
        const app = res(AMPLIFY, "site", {
            environmentVariables: { SIGNING_KEY: PEM, AWS_ACCESS_KEY_ID: AKIA, STRIPE_KEY: "sk_test_x", OPAQUE: TOKEN },
        });
        const report = evaluate([db, cache, app]);
        expectViolation(report, "iam-no-literal-credentials", "db.password is a literal", db.urn);
        expectViolation(report, "iam-no-literal-credentials", "cache.authToken is a literal", cache.urn);
        expectViolation(report, "iam-no-literal-credentials", "SIGNING_KEY holds a private key block", app.urn);
        expectViolation(report, "iam-no-literal-credentials", "AWS_ACCESS_KEY_ID holds an AWS access key id", app.urn);
        expectViolation(report, "iam-no-literal-credentials", "STRIPE_KEY is a credential by name", app.urn);
        expectViolation(report, "iam-no-literal-credentials", "OPAQUE holds a long random token", app.urn);
    });

    it("leaves Lambda and ECS environments to their own rules: one finding per credential", () => {
        const fn = res(LAMBDA, "fn", {
            environment: {
                variables: { AWS_ACCESS_KEY_ID: AKIA, DATABASE_URL: "postgres://app:pw@db:5432/app", OPAQUE: TOKEN },
            },
        });
        const td = res(T.taskDef, "td", {
            containerDefinitions: JSON.stringify([
                { name: "web", environment: [{ name: "UPSTREAM", value: `https://u:${TOKEN}@up.example.com` }] },
            ]),
        });
        const report = evaluate([fn, td]);
        expectClean(report, "iam-no-literal-credentials");
        expectViolation(report, "iam-lambda-env-secrets", "AWS_ACCESS_KEY_ID looks like a credential (an AWS", fn.urn);
        expectViolation(report, "iam-lambda-env-secrets", "DATABASE_URL looks like a credential (a URL", fn.urn);
        expectViolation(report, "iam-lambda-env-secrets", "OPAQUE looks like a credential (a long random", fn.urn);
        expectViolation(report, "iam-ecs-env-values", "UPSTREAM in plain text and its value looks like a URL", td.urn);
    });

    it("flags a secret config value as the RDS password (it belongs in manageMasterUserPassword)", () => {
        const db = res(T.rds, "db", goodDbProps({ password: "[secret]" }));
        expectViolation(evaluate([db]), "iam-no-literal-credentials", "a secret config value");
    });

    it("defers unknown environment maps and unlinked unknown passwords", () => {
        expectDeferred(
            evaluate([res(AMPLIFY, "site", { environmentVariables: U })]),
            "iam-no-literal-credentials",
            "site.environmentVariables",
        );
        expectDeferred(
            evaluate([res(T.rds, "db", goodDbProps({ password: U }))]),
            "iam-no-literal-credentials",
            "db.password",
        );
    });
});
