// The mocks live in testing/mocks.ts (the `groundwork/testing` entry); tools import them from here.
export * from "../testing/mocks";
