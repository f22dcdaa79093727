import { expect } from "chai";
import {
    AppSecrets,
    AppSecretsArgs,
    JWT_SECRET_KEY,
    PLACEHOLDER_SECRET_VALUE,
    normalizeAppSecretsArgs,
} from "../../components/secrets";
import { Recorded, promiseOf, run } from "../helpers";

const SECRET = "aws:secretsmanager/secret:Secret";
const VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const KEY = "aws:kms/key:Key";

async function secrets(args: AppSecretsArgs = {}): Promise<{ rec: Recorded; secrets: AppSecrets }> {
    let created: AppSecrets | undefined;
    const rec = await run(() => {
        created = new AppSecrets("app-secrets", args);
    });
    return { rec, secrets: created! };
}

describe("AppSecrets", () => {
    it("generates a JWT signing secret of 64 random characters and stores it encrypted with its own key", async () => {
        const { rec } = await secrets();
        const password = rec.one("random:index/randomPassword:RandomPassword", `app-secrets-${JWT_SECRET_KEY}`);
        expect(password.props).to.include({ length: 64, special: false });
        const secret = rec.one(SECRET, `app-secrets-${JWT_SECRET_KEY}`);
        const key = rec.one(KEY, "app-secrets-key");
        expect(secret.props.name).to.equal("groundwork/test/app-secrets/jwt-signing-key");
        expect(secret.propertyDependencies.kmsKeyId).to.deep.equal([key.urn]);
        expect(key.props.enableKeyRotation).to.equal(true);
        const version = rec.one(VERSION, `app-secrets-${JWT_SECRET_KEY}`);
        expect(version.props.secretString).to.equal("[secret]");
        expect(version.propertyDependencies.secretString).to.deep.equal([password.urn]);
        expect(version.propertyDependencies.secretId).to.deep.equal([secret.urn]);
    });

    it("never puts a secret value in clear text in any resource or output", async () => {
        const { rec, secrets: created } = await secrets({ thirdPartyKeys: ["stripe"] });
        const jwt = await promiseOf(created.nodes.jwtSecret.result);
        expect(jwt).to.have.length(64);
        expect(JSON.stringify(rec.resources.map((r) => r.props))).not.to.include(jwt);
        const arns = await promiseOf(created.secretArns);
        expect(JSON.stringify(arns)).not.to.include(jwt);
    });

    it("creates a placeholder secret per third-party key that Pulumi never writes back once an operator sets it", async () => {
        const { rec, secrets: created } = await secrets({ thirdPartyKeys: ["stripe", "sendgrid"] });
        for (const name of ["stripe", "sendgrid"]) {
            const secret = rec.one(SECRET, `app-secrets-${name}`);
            expect(secret.props.name).to.equal(`groundwork/test/app-secrets/${name}`);
            const version = rec.one(VERSION, `app-secrets-${name}`);
            expect(version.options.ignoreChanges).to.deep.equal(["secretString"]);
            expect(version.propertyDependencies.secretId).to.deep.equal([secret.urn]);
        }
        // The JWT version is Pulumi's to manage: it must not ignore changes.
        expect(rec.one(VERSION, `app-secrets-${JWT_SECRET_KEY}`).options.ignoreChanges).to.deep.equal([]);
        expect(created.secretNames).to.deep.equal({
            [JWT_SECRET_KEY]: "groundwork/test/app-secrets/jwt-signing-key",
            stripe: "groundwork/test/app-secrets/stripe",
            sendgrid: "groundwork/test/app-secrets/sendgrid",
        });
        expect(PLACEHOLDER_SECRET_VALUE).to.match(/placeholder/);
    });

    it("exposes a name → ARN map and never a value", async () => {
        const { secrets: created } = await secrets({ thirdPartyKeys: ["stripe"] });
        const arns = await promiseOf(created.secretArns);
        expect(Object.keys(arns)).to.deep.equal([JWT_SECRET_KEY, "stripe"]);
        expect(
            Object.values(arns).every((arn) =>
                arn.startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:groundwork/test/app-secrets/"),
            ),
        ).to.equal(true);
        expect(await promiseOf(created.jwtSecretArn)).to.equal(arns[JWT_SECRET_KEY]);
    });

    it("unprotected secrets are deleted at once (window 0), so a destroyed dev stack can be recreated with the same names", async () => {
        const dev = await secrets({ thirdPartyKeys: ["stripe"] });
        const devSecrets = dev.rec.ofType(SECRET);
        expect(devSecrets).to.have.length(2);
        for (const s of devSecrets) {
            expect(s.props.recoveryWindowInDays, s.name).to.equal(0);
            expect(s.options.protect, s.name).to.equal(false);
        }
    });

    it("protected secrets keep a 30-day recovery window and are protected with their key", async () => {
        const prod = await secrets({ thirdPartyKeys: ["stripe"], protect: true });
        const prodSecrets = prod.rec.ofType(SECRET);
        expect(prodSecrets).to.have.length(2);
        for (const s of prodSecrets) {
            expect(s.props.recoveryWindowInDays, s.name).to.equal(30);
            expect(s.options, s.name).to.include({ protect: true, retainOnDelete: true });
        }
        expect(prod.rec.one(KEY, "app-secrets-key").options).to.include({ protect: true, retainOnDelete: true });
    });

    it("accepts an explicit window of 0 or 7-30 days", () => {
        expect(normalizeAppSecretsArgs("s", { recoveryWindowInDays: 0, protect: true }).recoveryWindowInDays).to.equal(
            0,
        );
        expect(normalizeAppSecretsArgs("s", { recoveryWindowInDays: 7 }).recoveryWindowInDays).to.equal(7);
        expect(normalizeAppSecretsArgs("s", { recoveryWindowInDays: 30 }).recoveryWindowInDays).to.equal(30);
    });

    const bad: [string, AppSecretsArgs][] = [
        ["thirdPartyKeys", { thirdPartyKeys: ["Stripe!"] }],
        ["thirdPartyKeys", { thirdPartyKeys: ["stripe", "stripe"] }],
        ["thirdPartyKeys", { thirdPartyKeys: [JWT_SECRET_KEY] }],
        ["jwtSecretLength", { jwtSecretLength: 16 }],
        ["recoveryWindowInDays", { recoveryWindowInDays: 3 }],
        ["recoveryWindowInDays", { recoveryWindowInDays: 31 }],
        ["recoveryWindowInDays", { recoveryWindowInDays: 7.5 }],
    ];
    for (const [arg, args] of bad) {
        it(`rejects ${JSON.stringify(args)}, naming ${arg}`, () => {
            expect(() => normalizeAppSecretsArgs("app-secrets", args)).to.throw(
                new RegExp(`^AppSecrets "app-secrets": args\\.${arg} `),
            );
        });
    }
});
