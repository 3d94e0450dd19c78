/**
 * The default prompt set: short and long, factual, creative and code, so the answers differ in
 * length the way real traffic does. Used round-robin when neither --prompt nor --prompts-file is given.
 */
export const builtinPrompts: readonly string[] = [
  'Say hello in one short sentence.',
  'What is the capital of Australia? Answer in one word.',
  'Explain in three sentences why the sky is blue.',
  'Write a haiku about a lighthouse in winter.',
  'List five common HTTP status codes and what each means.',
  'Write a TypeScript function that returns the n-th Fibonacci number iteratively, with a short comment.',
  'Summarise the plot of Romeo and Juliet in one paragraph.',
  'Give me three tips for writing clear commit messages.',
  'Translate "The train leaves at seven tomorrow morning" into French, German and Spanish.',
  'Describe the difference between a process and a thread to a new programmer, with an analogy.',
  'Write a short story of about 150 words about a robot that learns to garden.',
  'What are the trade-offs between SQL and NoSQL databases? Answer as a bulleted list.',
];
