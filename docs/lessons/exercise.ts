/**
 * Shared by every lesson: an exercise function starts by throwing NotYetImplemented, and the lesson's test
 * (test/lessons/NN-topic.test.ts) skips its checks until the function returns something instead.
 */
export class NotYetImplemented extends Error {
  constructor(what: string) {
    super(`${what}: not implemented yet (write the body, then run npm run lesson -- N)`);
    this.name = "NotYetImplemented";
  }
}
