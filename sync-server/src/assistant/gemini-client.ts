// The one place that talks to Gemini, through @google/generative-ai: a streamed answer as
// text pieces, and every way it can fail mapped to a short reason a member may read.
// The key travels only in the SDK's x-goog-api-key header; nothing here logs.
import {
  GoogleGenerativeAI,
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIFetchError,
} from '@google/generative-ai';
import type { Content, GenerateContentResponse } from '@google/generative-ai';

export interface GeminiSettings {
  apiKey: string;
  model: string;
  /** e.g. a proxy or a local fake; null: Google's endpoint */
  baseUrl: string | null;
}

export interface GeminiClient {
  /** Text pieces as they arrive. Throws on failure (see failureReason). */
  stream(contents: Content[], signal: AbortSignal): AsyncGenerator<string>;
}

/** Keeps an answer inside one message (MAX_MESSAGE_TEXT is 10,000 characters). */
const MAX_OUTPUT_TOKENS = 2048;

/** The model stopped for a reason other than finishing (safety filters and the like). */
export class AnswerBlockedError extends Error {
  override name = 'AnswerBlockedError';
}

const BLOCKING_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'LANGUAGE',
]);

function textOf(chunk: GenerateContentResponse): string {
  if (chunk.promptFeedback?.blockReason) throw new AnswerBlockedError('prompt blocked');
  const candidate = chunk.candidates?.[0];
  if (candidate?.finishReason && BLOCKING_REASONS.has(candidate.finishReason)) {
    throw new AnswerBlockedError('answer blocked');
  }
  return (candidate?.content?.parts ?? []).map((p) => p.text ?? '').join('');
}

export function createGeminiClient(
  settings: GeminiSettings,
  systemInstruction: string,
): GeminiClient {
  const model = new GoogleGenerativeAI(settings.apiKey).getGenerativeModel(
    {
      model: settings.model,
      systemInstruction,
      generationConfig: { maxOutputTokens: MAX_OUTPUT_TOKENS },
    },
    // The SDK appends "/v1beta/models/<model>:…" to the base URL.
    settings.baseUrl ? { baseUrl: settings.baseUrl.replace(/\/+$/, '') } : {},
  );
  return {
    async *stream(contents, signal) {
      const result = await model.generateContentStream({ contents }, { signal });
      // `response` aggregates the same stream and rejects with the same failure, which
      // the loop below surfaces; observe it so it never counts as unhandled.
      result.response.then(
        () => undefined,
        () => undefined,
      );
      for await (const chunk of result.stream) {
        const text = textOf(chunk);
        if (text !== '') yield text;
      }
    },
  };
}

/** A short, member-readable reason; never the provider's message (it may quote the request). */
export function failureReason(err: unknown, timeoutSeconds: number): string {
  if (err instanceof AnswerBlockedError) return 'the answer was blocked by the model service';
  if (err instanceof GoogleGenerativeAIFetchError && err.status !== undefined) {
    if (err.status === 429) return 'the model service is busy; try again later';
    if (err.status === 401 || err.status === 403) return 'the server’s model key was refused';
    if (err.status === 404) return 'the configured model does not exist';
    return `the model service answered HTTP ${err.status}`;
  }
  if (
    err instanceof GoogleGenerativeAIAbortError ||
    (err instanceof Error && err.name === 'AbortError')
  ) {
    return `no answer within ${timeoutSeconds} s`;
  }
  return 'the model service could not be reached';
}
