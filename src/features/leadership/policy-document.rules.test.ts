import { describe, expect, it } from 'vitest';
import { policyDocument } from './policy-document.rules.ts';

describe("a policy version's document", () => {
  it.each([
    ['text only', 'Report suspected abuse within 24 hours.', { url: null, text: 'Report suspected abuse within 24 hours.' }],
    [
      'text and a document link on its own last line',
      'Report suspected abuse within 24 hours.\n\nDocument: https://board.example.org/policy/JLF.pdf',
      { url: 'https://board.example.org/policy/JLF.pdf', text: 'Report suspected abuse within 24 hours.' },
    ],
    ['a link only', 'Document: https://board.example.org/JLF', { url: 'https://board.example.org/JLF', text: '' }],
    [
      'a link written in the text, before versions had a link',
      'The full policy is at https://board.example.org/policy/JLF. Read it first.',
      { url: 'https://board.example.org/policy/JLF', text: 'The full policy is at https://board.example.org/policy/JLF. Read it first.' },
    ],
    ['nothing a browser would run', 'See javascript:alert(1) or ftp://x.example', { url: null, text: 'See javascript:alert(1) or ftp://x.example' }],
  ])('%s', (_name, stored, expected) => {
    expect(policyDocument(stored)).toEqual(expected);
  });
});
