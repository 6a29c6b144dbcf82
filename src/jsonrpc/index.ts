/**
 * `jobhost/jsonrpc`: the JSON-RPC 2.0 layer every part of jobhost speaks
 * through — framing (three decoders, one bounded writer), the reading rules,
 * envelopes, typed method definitions, and the {@link Endpoint} that
 * correlates, times out, cancels and answers. Use it to speak to a peer of
 * your own with the same guarantees.
 */
export { Endpoint } from './endpoint.js';
export type { EndpointOptions, EndpointHooks, EndpointPhase, IncomingMode } from './endpoint.js';
export { defineRequest, defineNotification } from './definitions.js';
export type { RequestDefinition, NotificationDefinition, ParamsOf, ParamsInputOf, ResultOf, ResultInputOf } from './definitions.js';
export { RpcError, RPC_ERROR_CODES } from './errors.js';
export type { RpcErrorCode, RpcErrorOptions, RpcErrorFactory } from './errors.js';
export { JSONRPC_ERROR_CODES, RPC_METHODS } from './codes.js';
export type { JsonRpcErrorKind } from './codes.js';
export type { RpcRequestOptions } from './outgoing.js';
export type { RpcRequestHandler, RpcNotificationHandler, RpcRequestContext } from './incoming.js';
export { isRequest, isNotification, isResponse } from './types.js';
export type { JsonRpcMessage, JsonRpcRequest, JsonRpcNotification, JsonRpcResponse, JsonRpcErrorObject, JsonRpcId, JsonRpcParams } from './types.js';
export { checkMessage, classifyMessage, PLUGIN_MESSAGE_RULES, SYNAPSE_MESSAGE_RULES, problemReason } from './rules.js';
export type { CheckedMessage, ClassifiedMessage, MessageProblem, MessageRules } from './rules.js';
export { requestMessage, notificationMessage, resultMessage, errorMessage } from './envelopes.js';
export { readMessages } from './read-messages.js';
export { createMessageParser, describeReadProblem } from './parser.js';
export type { MessageParser, MessageReaderOptions, RpcReadEvent, RpcReadProblem, RpcMessageEvent, RpcInvalidEvent, RpcTruncatedEvent } from './parser.js';
export { createFrameDecoder } from './framing/decoder.js';
export { encodeFrame } from './framing/encode.js';
export { FrameWriter } from './framing/writer.js';
export type { FrameWriterOptions, WriterOverflow, LossyFrame } from './framing/writer.js';
export { DEFAULT_MAX_FRAME_BYTES, FRAMINGS } from './framing/types.js';
export type { Framing, FrameEvent, FramingOptions, FrameDecoder } from './framing/types.js';
