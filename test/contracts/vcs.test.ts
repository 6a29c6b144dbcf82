import { describe, it, expect, expectTypeOf } from 'vitest';
import * as fc from 'fast-check';
import * as z from 'zod';
import {
  CheckReviewParams,
  CheckReviewResult,
  CommitDiffResult,
  CommitParams,
  CommitResult,
  DetectParams,
  DetectResult,
  ExcludePatternsResult,
  HandshakeParams,
  HandshakeResult,
  IsPathIgnoredParams,
  IsPathIgnoredResult,
  MergeReviewParams,
  MergeReviewResult,
  OpenReviewParams,
  OpenReviewResult,
  PrepareParams,
  ProtectedTargetsResult,
  PushParams,
  PushResult,
  RestoreStateParams,
  RevisionIdResult,
  SaveStateResult,
  SyncUpstreamResult,
  VCS_METHOD_NAMES,
  VCS_METHODS,
  VCS_PROTOCOL_VERSION,
  VcsPluginRequest,
  VcsPluginResponse,
  isVcsMethod,
  parseVcsParams,
  parseVcsResult,
  vcsError,
  vcsRequest,
  vcsSuccess,
} from '../../src/contracts/vcs.js';
import { contractJsonSchema } from '../../src/contracts/json-schema.js';
import type {
  HandshakeResultInput,
  PrepareParamsInput,
  VcsMethod,
  VcsNoParams,
  VcsParams,
  VcsParamsOutput,
  VcsPluginResponseInput,
  VcsResult,
  VcsResultInput,
} from '../../src/contracts/vcs.js';
import { accepts, rewrite } from '../helpers/wire.js';

type Json = z.core.util.JSONType;



describe('seed tests (ta_submit vcs_plugin_protocol.rs)', () => {
  it('request_roundtrip', () => {
    const req: VcsPluginRequest = {
      method: 'handshake',
      params: { ta_version: '0.13.5-alpha', protocol_version: 1 },
    };
    const json = JSON.stringify(req);
    const parsed = VcsPluginRequest.parse(JSON.parse(json));
    expect(parsed.method).toBe('handshake');
  });

  it('response_success_roundtrip', () => {
    const resp = vcsSuccess({ adapter_name: 'perforce' });
    const json = JSON.stringify(resp);
    const parsed = VcsPluginResponse.parse(JSON.parse(json));
    expect(parsed.ok).toBe(true);
    expect(parsed.error).toBeUndefined();
    expect('error' in parsed).toBe(false);
  });

  it('response_error_roundtrip', () => {
    const resp = vcsError('p4 not found');
    const json = JSON.stringify(resp);
    const parsed = VcsPluginResponse.parse(JSON.parse(json));
    expect(parsed.ok).toBe(false);
    expect(parsed.error).toBe('p4 not found');
  });

  it('handshake_params_roundtrip', () => {
    const params: HandshakeParams = { ta_version: '0.13.5-alpha', protocol_version: VCS_PROTOCOL_VERSION };
    const json = JSON.stringify(params);
    const parsed = HandshakeParams.parse(JSON.parse(json));
    expect(parsed.protocol_version).toBe(1);
  });

  it('handshake_result_roundtrip', () => {
    const result: HandshakeResult = {
      plugin_version: '0.1.0',
      protocol_version: 1,
      adapter_name: 'perforce',
      capabilities: ['commit', 'push', 'protected_targets'],
    };
    const json = JSON.stringify(result);
    const parsed = HandshakeResult.parse(JSON.parse(json));
    expect(parsed.adapter_name).toBe('perforce');
    expect(parsed.capabilities).toContain('protected_targets');
  });

  it('commit_params_roundtrip', () => {
    const params: CommitParams = {
      goal_id: 'abc123',
      goal_title: 'Fix bug',
      message: 'Fix critical bug\n\nCo-authored-by: test',
      changed_files: ['src/main.rs'],
    };
    const json = JSON.stringify(params);
    const parsed = CommitParams.parse(JSON.parse(json));
    expect(parsed.goal_id).toBe('abc123');
    expect(parsed.changed_files).toHaveLength(1);
  });

  it('detect_params_roundtrip', () => {
    const params: DetectParams = { project_root: '/home/user/project' };
    const json = JSON.stringify(params);
    const parsed = DetectParams.parse(JSON.parse(json));
    expect(parsed.project_root).toBe('/home/user/project');
  });

  it('protocol_version_is_one', () => {
    expect(VCS_PROTOCOL_VERSION).toBe(1);
  });
});

/** [schema, wire text in, exactly what serde_json writes back]. */
const goldens: [string, z.ZodType, string, string][] = [
  ['VcsPluginRequest', VcsPluginRequest, '{"method":"handshake","params":{"protocol_version":1,"ta_version":"0.13.5-alpha"}}', '{"method":"handshake","params":{"protocol_version":1,"ta_version":"0.13.5-alpha"}}'],
  ['VcsPluginRequest', VcsPluginRequest, '{"params":null,"x":1,"method":"verify_target"}', '{"method":"verify_target","params":null}'],
  ['VcsPluginRequest', VcsPluginRequest, '{"method":"","params":[1,"a",true,null,{}]}', '{"method":"","params":[1,"a",true,null,{}]}'],
  ['VcsPluginResponse', VcsPluginResponse, '{"ok":true}', '{"ok":true,"result":null}'],
  ['VcsPluginResponse', VcsPluginResponse, '{"ok":true,"error":null}', '{"ok":true,"result":null}'],
  ['VcsPluginResponse', VcsPluginResponse, '{"ok":false,"error":"p4 not found"}', '{"ok":false,"result":null,"error":"p4 not found"}'],
  ['VcsPluginResponse', VcsPluginResponse, '{"error":"","result":{"a":[]},"extra":0,"ok":false}', '{"ok":false,"result":{"a":[]},"error":""}'],
  ['VcsPluginResponse', VcsPluginResponse, '{"ok":true,"result":"s\\u00e9\\ud83d\\ude00"}', '{"ok":true,"result":"sé😀"}'],
  ['HandshakeParams', HandshakeParams, '{"protocol_version":0,"ta_version":"1.0.0"}', '{"ta_version":"1.0.0","protocol_version":0}'],
  ['HandshakeParams', HandshakeParams, '{"ta_version":"","protocol_version":4294967295}', '{"ta_version":"","protocol_version":4294967295}'],
  ['HandshakeResult', HandshakeResult, '{"plugin_version":"0.1.0","protocol_version":1,"adapter_name":"perforce"}', '{"plugin_version":"0.1.0","protocol_version":1,"adapter_name":"perforce","capabilities":[]}'],
  ['HandshakeResult', HandshakeResult, '{"capabilities":["commit"],"adapter_name":"svn","extra":{},"protocol_version":4294967295,"plugin_version":"2"}', '{"plugin_version":"2","protocol_version":4294967295,"adapter_name":"svn","capabilities":["commit"]}'],
  ['DetectParams', DetectParams, '{"project_root":"/home/user/project","x":null}', '{"project_root":"/home/user/project"}'],
  ['DetectResult', DetectResult, '{"detected":false}', '{"detected":false}'],
  ['ExcludePatternsResult', ExcludePatternsResult, '{"patterns":[".p4config",".svn/"]}', '{"patterns":[".p4config",".svn/"]}'],
  ['ExcludePatternsResult', ExcludePatternsResult, '{"patterns":[]}', '{"patterns":[]}'],
  ['SaveStateResult', SaveStateResult, '{"state":null}', '{"state":null}'],
  ['SaveStateResult', SaveStateResult, '{"state":{"n":[1,-2,0.5],"stash":"abc"}}', '{"state":{"n":[1,-2,0.5],"stash":"abc"}}'],
  ['RestoreStateParams', RestoreStateParams, '{"state":"opaque","v":2}', '{"state":"opaque"}'],
  ['RestoreStateParams', RestoreStateParams, '{"state":null}', '{"state":null}'],
  ['PrepareParams', PrepareParams, '{"goal_id":"g","goal_title":"t","workspace_path":"/w","branch_prefix":"feature/"}', '{"goal_id":"g","goal_title":"t","workspace_path":"/w","branch_prefix":"feature/","co_author":null}'],
  ['PrepareParams', PrepareParams, '{"co_author":"A <a@x>","branch_prefix":"","workspace_path":"/w","goal_title":"t","goal_id":"g"}', '{"goal_id":"g","goal_title":"t","workspace_path":"/w","branch_prefix":"","co_author":"A <a@x>"}'],
  ['PrepareParams', PrepareParams, '{"goal_id":"g","goal_title":"t","workspace_path":"/w","branch_prefix":"f/","co_author":null}', '{"goal_id":"g","goal_title":"t","workspace_path":"/w","branch_prefix":"f/","co_author":null}'],
  ['CommitParams', CommitParams, '{"changed_files":["src/main.rs"],"message":"Fix\\n\\nCo-authored-by: test","goal_title":"Fix bug","goal_id":"abc123"}', '{"goal_id":"abc123","goal_title":"Fix bug","message":"Fix\\n\\nCo-authored-by: test","changed_files":["src/main.rs"]}'],
  ['CommitResult', CommitResult, '{"commit_id":"deadbeef","message":"ok"}', '{"commit_id":"deadbeef","message":"ok","metadata":{}}'],
  ['CommitResult', CommitResult, '{"metadata":{"cl":"42"},"message":"ok","commit_id":"42"}', '{"commit_id":"42","message":"ok","metadata":{"cl":"42"}}'],
  ['PushParams', PushParams, '{"goal_id":"g"}', '{"goal_id":"g"}'],
  ['PushResult', PushResult, '{"remote_ref":"refs/heads/f","message":"pushed"}', '{"remote_ref":"refs/heads/f","message":"pushed","metadata":{}}'],
  ['OpenReviewParams', OpenReviewParams, '{"goal_id":"g","goal_title":"t","draft_summary":"what\\nwhy","changed_files":[]}', '{"goal_id":"g","goal_title":"t","draft_summary":"what\\nwhy","changed_files":[]}'],
  ['OpenReviewResult', OpenReviewResult, '{"message":"m","review_id":"7","review_url":"https://x/7"}', '{"review_url":"https://x/7","review_id":"7","message":"m","metadata":{}}'],
  ['RevisionIdResult', RevisionIdResult, '{"revision_id":"@5678"}', '{"revision_id":"@5678"}'],
  ['ProtectedTargetsResult', ProtectedTargetsResult, '{"targets":["main","//depot/main/..."]}', '{"targets":["main","//depot/main/..."]}'],
  ['SyncUpstreamResult', SyncUpstreamResult, '{"updated":false,"conflicts":[],"new_commits":0,"message":"up to date"}', '{"updated":false,"conflicts":[],"new_commits":0,"message":"up to date","metadata":{}}'],
  ['SyncUpstreamResult', SyncUpstreamResult, '{"metadata":{"a":"b"},"message":"m","new_commits":4294967295,"conflicts":["x"],"updated":true}', '{"updated":true,"conflicts":["x"],"new_commits":4294967295,"message":"m","metadata":{"a":"b"}}'],
  ['CheckReviewParams', CheckReviewParams, '{"review_id":"12"}', '{"review_id":"12"}'],
  ['CheckReviewResult', CheckReviewResult, '{"found":false}', '{"found":false,"state":"","checks_passing":null}'],
  ['CheckReviewResult', CheckReviewResult, '{"checks_passing":true,"state":"open","found":true}', '{"found":true,"state":"open","checks_passing":true}'],
  ['CheckReviewResult', CheckReviewResult, '{"found":true,"checks_passing":null}', '{"found":true,"state":"","checks_passing":null}'],
  ['MergeReviewParams', MergeReviewParams, '{"review_id":"12"}', '{"review_id":"12"}'],
  ['MergeReviewResult', MergeReviewResult, '{"merged":false,"message":"queued"}', '{"merged":false,"merge_commit":null,"message":"queued","metadata":{}}'],
  ['MergeReviewResult', MergeReviewResult, '{"metadata":{},"message":"m","merge_commit":"abc","merged":true}', '{"merged":true,"merge_commit":"abc","message":"m","metadata":{}}'],
];

/** [schema, wire text serde_json refuses]. */
const refusals: [string, z.ZodType, string][] = [
  ['VcsPluginRequest', VcsPluginRequest, '{"method":"x"}'],
  ['VcsPluginRequest', VcsPluginRequest, '{"params":{}}'],
  ['VcsPluginRequest', VcsPluginRequest, '{"method":null,"params":{}}'],
  ['VcsPluginRequest', VcsPluginRequest, '{"method":"\\ud800","params":{}}'],
  ['VcsPluginRequest', VcsPluginRequest, '{"method":"x","params":{"a":["\\udc00"]}}'],
  ['VcsPluginRequest', VcsPluginRequest, '{"method":"x","params":{"\\ud800":1}}'],
  ['VcsPluginRequest', VcsPluginRequest, '[]'],
  ['VcsPluginResponse', VcsPluginResponse, '{}'],
  ['VcsPluginResponse', VcsPluginResponse, '{"ok":null}'],
  ['VcsPluginResponse', VcsPluginResponse, '{"ok":"true"}'],
  ['VcsPluginResponse', VcsPluginResponse, '{"ok":1}'],
  ['VcsPluginResponse', VcsPluginResponse, '{"ok":false,"error":5}'],
  ['VcsPluginResponse', VcsPluginResponse, '{"ok":false,"error":"\\ud800"}'],
  ['VcsPluginResponse', VcsPluginResponse, '{"ok":true,"result":"\\udfff"}'],
  ['HandshakeParams', HandshakeParams, '{"ta_version":"1"}'],
  ['HandshakeParams', HandshakeParams, '{"ta_version":"1","protocol_version":-1}'],
  ['HandshakeParams', HandshakeParams, '{"ta_version":"1","protocol_version":4294967296}'],
  ['HandshakeParams', HandshakeParams, '{"ta_version":"1","protocol_version":1.5}'],
  ['HandshakeParams', HandshakeParams, '{"ta_version":"1","protocol_version":"1"}'],
  ['HandshakeParams', HandshakeParams, '{"ta_version":"1","protocol_version":null}'],
  ['HandshakeParams', HandshakeParams, '{"ta_version":null,"protocol_version":1}'],
  ['HandshakeResult', HandshakeResult, '{"plugin_version":"1","protocol_version":1,"adapter_name":"a","capabilities":null}'],
  ['HandshakeResult', HandshakeResult, '{"plugin_version":"1","protocol_version":1,"adapter_name":"a","capabilities":"commit"}'],
  ['HandshakeResult', HandshakeResult, '{"plugin_version":"1","protocol_version":1,"adapter_name":"a","capabilities":[1]}'],
  ['HandshakeResult', HandshakeResult, '{"plugin_version":"1","protocol_version":-1,"adapter_name":"a"}'],
  ['HandshakeResult', HandshakeResult, '{"plugin_version":"1","protocol_version":1}'],
  ['DetectParams', DetectParams, '{}'],
  ['DetectParams', DetectParams, '{"project_root":null}'],
  ['DetectResult', DetectResult, '{"detected":"false"}'],
  ['DetectResult', DetectResult, '{"detected":0}'],
  ['DetectResult', DetectResult, '{"detected":null}'],
  ['ExcludePatternsResult', ExcludePatternsResult, '{}'],
  ['ExcludePatternsResult', ExcludePatternsResult, '{"patterns":null}'],
  ['ExcludePatternsResult', ExcludePatternsResult, '{"patterns":[".svn/","\\ud800"]}'],
  ['SaveStateResult', SaveStateResult, '{}'],
  ['SaveStateResult', SaveStateResult, '{"state":"\\ud800"}'],
  ['RestoreStateParams', RestoreStateParams, '{}'],
  ['PrepareParams', PrepareParams, '{"goal_id":"g","goal_title":"t","workspace_path":"/w","branch_prefix":"f/","co_author":5}'],
  ['PrepareParams', PrepareParams, '{"goal_id":null,"goal_title":"t","workspace_path":"/w","branch_prefix":"f/"}'],
  ['PrepareParams', PrepareParams, '{"goal_id":"g","goal_title":"t","workspace_path":"/w"}'],
  ['CommitParams', CommitParams, '{"goal_id":"g","goal_title":"t","message":"m"}'],
  ['CommitParams', CommitParams, '{"goal_id":"g","goal_title":"t","message":"m","changed_files":null}'],
  ['CommitResult', CommitResult, '{"commit_id":"c","message":"m","metadata":null}'],
  ['CommitResult', CommitResult, '{"commit_id":"c","message":"m","metadata":{"a":1}}'],
  ['CommitResult', CommitResult, '{"commit_id":"c","message":"m","metadata":[]}'],
  ['CommitResult', CommitResult, '{"commit_id":"c","message":"m","metadata":{"\\ud800":"x"}}'],
  ['PushParams', PushParams, '{"goal_id":1}'],
  ['PushResult', PushResult, '{"remote_ref":"r","message":"m","metadata":null}'],
  ['OpenReviewParams', OpenReviewParams, '{"goal_id":"g","goal_title":"t","draft_summary":"s"}'],
  ['OpenReviewResult', OpenReviewResult, '{"review_url":"u","review_id":7,"message":"m"}'],
  ['OpenReviewResult', OpenReviewResult, '{"review_url":"u","review_id":"7","message":"m","metadata":null}'],
  ['RevisionIdResult', RevisionIdResult, '{"revision_id":null}'],
  ['ProtectedTargetsResult', ProtectedTargetsResult, '{}'],
  ['SyncUpstreamResult', SyncUpstreamResult, '{"updated":true,"conflicts":[],"new_commits":-1,"message":"m"}'],
  ['SyncUpstreamResult', SyncUpstreamResult, '{"updated":true,"conflicts":[],"new_commits":4294967296,"message":"m"}'],
  ['SyncUpstreamResult', SyncUpstreamResult, '{"updated":true,"conflicts":[],"new_commits":1.5,"message":"m"}'],
  ['SyncUpstreamResult', SyncUpstreamResult, '{"updated":true,"conflicts":[],"new_commits":"1","message":"m"}'],
  ['SyncUpstreamResult', SyncUpstreamResult, '{"updated":true,"conflicts":[],"new_commits":null,"message":"m"}'],
  ['SyncUpstreamResult', SyncUpstreamResult, '{"updated":true,"conflicts":[],"message":"m"}'],
  ['SyncUpstreamResult', SyncUpstreamResult, '{"updated":true,"conflicts":[],"new_commits":1,"message":"m","metadata":null}'],
  ['CheckReviewParams', CheckReviewParams, '{"review_id":12}'],
  ['CheckReviewResult', CheckReviewResult, '{"found":true,"state":null}'],
  ['CheckReviewResult', CheckReviewResult, '{"found":true,"checks_passing":"yes"}'],
  ['CheckReviewResult', CheckReviewResult, '{"state":"open"}'],
  ['MergeReviewParams', MergeReviewParams, '{}'],
  ['MergeReviewResult', MergeReviewResult, '{"merged":true,"merge_commit":1,"message":"m"}'],
  ['MergeReviewResult', MergeReviewResult, '{"merged":true,"message":"m","metadata":null}'],
  ['MergeReviewResult', MergeReviewResult, '{"merged":true,"merge_commit":null}'],
];

/**
 * The fields with `#[serde(default)]`, read off the seed, per struct in Rust
 * field order. serde's `visit_seq` lets an array leave out only those: an
 * array needs every field up to the last one without a default, `Option`s
 * included (`VcsPluginResponse.error` has only `skip_serializing_if`).
 */
const SEQ: Record<string, { fields: string[]; defaulted: string[] }> = {
  VcsPluginRequest: { fields: ['method', 'params'], defaulted: [] },
  VcsPluginResponse: { fields: ['ok', 'result', 'error'], defaulted: ['result'] },
  HandshakeParams: { fields: ['ta_version', 'protocol_version'], defaulted: [] },
  HandshakeResult: { fields: ['plugin_version', 'protocol_version', 'adapter_name', 'capabilities'], defaulted: ['capabilities'] },
  DetectParams: { fields: ['project_root'], defaulted: [] },
  DetectResult: { fields: ['detected'], defaulted: [] },
  ExcludePatternsResult: { fields: ['patterns'], defaulted: [] },
  SaveStateResult: { fields: ['state'], defaulted: [] },
  RestoreStateParams: { fields: ['state'], defaulted: [] },
  PrepareParams: { fields: ['goal_id', 'goal_title', 'workspace_path', 'branch_prefix', 'co_author'], defaulted: ['co_author'] },
  CommitParams: { fields: ['goal_id', 'goal_title', 'message', 'changed_files'], defaulted: [] },
  CommitResult: { fields: ['commit_id', 'message', 'metadata'], defaulted: ['metadata'] },
  PushParams: { fields: ['goal_id'], defaulted: [] },
  PushResult: { fields: ['remote_ref', 'message', 'metadata'], defaulted: ['metadata'] },
  OpenReviewParams: { fields: ['goal_id', 'goal_title', 'draft_summary', 'changed_files'], defaulted: [] },
  OpenReviewResult: { fields: ['review_url', 'review_id', 'message', 'metadata'], defaulted: ['metadata'] },
  RevisionIdResult: { fields: ['revision_id'], defaulted: [] },
  ProtectedTargetsResult: { fields: ['targets'], defaulted: [] },
  SyncUpstreamResult: { fields: ['updated', 'conflicts', 'new_commits', 'message', 'metadata'], defaulted: ['metadata'] },
  CheckReviewParams: { fields: ['review_id'], defaulted: [] },
  CheckReviewResult: { fields: ['found', 'state', 'checks_passing'], defaulted: ['state', 'checks_passing'] },
  MergeReviewParams: { fields: ['review_id'], defaulted: [] },
  MergeReviewResult: { fields: ['merged', 'merge_commit', 'message', 'metadata'], defaulted: ['merge_commit', 'metadata'] },
  IsPathIgnoredParams: { fields: ['project_root', 'ta_rel_path'], defaulted: [] },
  IsPathIgnoredResult: { fields: ['ignored'], defaulted: [] },
  CommitDiffResult: { fields: ['diff'], defaulted: [] },
};

/** The fewest elements serde reads: up to the last field without #[serde(default)]. */
function minElements(name: string): number {
  const { fields, defaulted } = SEQ[name]!;
  let min = fields.length;
  while (min > 0 && defaulted.includes(fields[min - 1]!)) min--;
  return min;
}

/** [schema, an array of the fields in order, exactly what serde_json writes back]. */
const arrayGoldens: [string, z.ZodType, string, string][] = [
  ['VcsPluginRequest', VcsPluginRequest, '["commit",{"goal_id":"g"}]', '{"method":"commit","params":{"goal_id":"g"}}'],
  ['VcsPluginRequest', VcsPluginRequest, '["verify_target",null]', '{"method":"verify_target","params":null}'],
  ['VcsPluginResponse', VcsPluginResponse, '[true,{"a":1},null]', '{"ok":true,"result":{"a":1}}'],
  ['VcsPluginResponse', VcsPluginResponse, '[false,null,"p4 not found"]', '{"ok":false,"result":null,"error":"p4 not found"}'],
  ['HandshakeParams', HandshakeParams, '["0.13.5-alpha",1]', '{"ta_version":"0.13.5-alpha","protocol_version":1}'],
  ['HandshakeResult', HandshakeResult, '["0.1.0",1,"perforce"]', '{"plugin_version":"0.1.0","protocol_version":1,"adapter_name":"perforce","capabilities":[]}'],
  ['HandshakeResult', HandshakeResult, '["0.1.0",1,"perforce",["protected_targets"]]', '{"plugin_version":"0.1.0","protocol_version":1,"adapter_name":"perforce","capabilities":["protected_targets"]}'],
  ['DetectParams', DetectParams, '["/home/user/project"]', '{"project_root":"/home/user/project"}'],
  ['DetectResult', DetectResult, '[true]', '{"detected":true}'],
  ['ExcludePatternsResult', ExcludePatternsResult, '[[".p4config",".svn/"]]', '{"patterns":[".p4config",".svn/"]}'],
  ['SaveStateResult', SaveStateResult, '[null]', '{"state":null}'],
  ['SaveStateResult', SaveStateResult, '[{"stash":"abc"}]', '{"state":{"stash":"abc"}}'],
  ['RestoreStateParams', RestoreStateParams, '[["opaque",1]]', '{"state":["opaque",1]}'],
  ['PrepareParams', PrepareParams, '["g","t","/w","feature/"]', '{"goal_id":"g","goal_title":"t","workspace_path":"/w","branch_prefix":"feature/","co_author":null}'],
  ['PrepareParams', PrepareParams, '["g","t","/w","f/","A <a@x>"]', '{"goal_id":"g","goal_title":"t","workspace_path":"/w","branch_prefix":"f/","co_author":"A <a@x>"}'],
  ['PrepareParams', PrepareParams, '["g","t","/w","f/",null]', '{"goal_id":"g","goal_title":"t","workspace_path":"/w","branch_prefix":"f/","co_author":null}'],
  ['CommitParams', CommitParams, '["abc123","Fix bug","Fix",["src/main.rs"]]', '{"goal_id":"abc123","goal_title":"Fix bug","message":"Fix","changed_files":["src/main.rs"]}'],
  ['CommitResult', CommitResult, '["deadbeef","ok"]', '{"commit_id":"deadbeef","message":"ok","metadata":{}}'],
  ['CommitResult', CommitResult, '["42","ok",{"cl":"42"}]', '{"commit_id":"42","message":"ok","metadata":{"cl":"42"}}'],
  ['PushParams', PushParams, '["g"]', '{"goal_id":"g"}'],
  ['PushResult', PushResult, '["refs/heads/f","pushed"]', '{"remote_ref":"refs/heads/f","message":"pushed","metadata":{}}'],
  ['OpenReviewParams', OpenReviewParams, '["g","t","what",[]]', '{"goal_id":"g","goal_title":"t","draft_summary":"what","changed_files":[]}'],
  ['OpenReviewResult', OpenReviewResult, '["https://x/7","7","m"]', '{"review_url":"https://x/7","review_id":"7","message":"m","metadata":{}}'],
  ['RevisionIdResult', RevisionIdResult, '["@5678"]', '{"revision_id":"@5678"}'],
  ['ProtectedTargetsResult', ProtectedTargetsResult, '[["main"]]', '{"targets":["main"]}'],
  ['SyncUpstreamResult', SyncUpstreamResult, '[true,["x"],2,"m"]', '{"updated":true,"conflicts":["x"],"new_commits":2,"message":"m","metadata":{}}'],
  ['SyncUpstreamResult', SyncUpstreamResult, '[false,[],0,"m",{"a":"b"}]', '{"updated":false,"conflicts":[],"new_commits":0,"message":"m","metadata":{"a":"b"}}'],
  ['CheckReviewParams', CheckReviewParams, '["12"]', '{"review_id":"12"}'],
  ['CheckReviewResult', CheckReviewResult, '[false]', '{"found":false,"state":"","checks_passing":null}'],
  ['CheckReviewResult', CheckReviewResult, '[true,"open"]', '{"found":true,"state":"open","checks_passing":null}'],
  ['CheckReviewResult', CheckReviewResult, '[true,"merged",true]', '{"found":true,"state":"merged","checks_passing":true}'],
  ['MergeReviewParams', MergeReviewParams, '["12"]', '{"review_id":"12"}'],
  ['MergeReviewResult', MergeReviewResult, '[false,null,"queued"]', '{"merged":false,"merge_commit":null,"message":"queued","metadata":{}}'],
  ['MergeReviewResult', MergeReviewResult, '[true,"abc","m",{"k":"v"}]', '{"merged":true,"merge_commit":"abc","message":"m","metadata":{"k":"v"}}'],
];

/** [schema, an array serde_json refuses]. */
const arrayRefusals: [string, z.ZodType, string][] = [
  // params is a serde_json::Value without a default: required
  ['VcsPluginRequest', VcsPluginRequest, '["commit"]'],
  ['VcsPluginRequest', VcsPluginRequest, '["commit",{},null]'],
  ['VcsPluginRequest', VcsPluginRequest, '[null,{}]'],
  // error is an Option without #[serde(default)]: it may not be left out of an array
  ['VcsPluginResponse', VcsPluginResponse, '[true]'],
  ['VcsPluginResponse', VcsPluginResponse, '[true,null]'],
  ['VcsPluginResponse', VcsPluginResponse, '[true,null,null,null]'],
  ['VcsPluginResponse', VcsPluginResponse, '["true",null,null]'],
  ['VcsPluginResponse', VcsPluginResponse, '[false,null,5]'],
  ['HandshakeParams', HandshakeParams, '["1"]'],
  ['HandshakeParams', HandshakeParams, '["1",-1]'],
  ['HandshakeParams', HandshakeParams, '[1,"1"]'],
  ['HandshakeParams', HandshakeParams, '["1",1,1]'],
  ['HandshakeResult', HandshakeResult, '["1",1]'],
  ['HandshakeResult', HandshakeResult, '["1",1,"a",null]'],
  ['HandshakeResult', HandshakeResult, '["1",1,"a",[],[]]'],
  ['DetectParams', DetectParams, '[]'],
  ['DetectResult', DetectResult, '[true,false]'],
  ['ExcludePatternsResult', ExcludePatternsResult, '[".svn/"]'],
  ['SaveStateResult', SaveStateResult, '[]'],
  ['RestoreStateParams', RestoreStateParams, '[]'],
  ['PrepareParams', PrepareParams, '["g","t","/w"]'],
  ['PrepareParams', PrepareParams, '["g","t","/w","f/",5]'],
  ['PrepareParams', PrepareParams, '["g","t","/w","f/",null,null]'],
  ['CommitParams', CommitParams, '["g","t","m"]'],
  ['CommitResult', CommitResult, '["c","m",null]'],
  ['CommitResult', CommitResult, '["c"]'],
  ['PushParams', PushParams, '[1]'],
  ['PushResult', PushResult, '["r","m",{"a":1}]'],
  ['OpenReviewParams', OpenReviewParams, '["g","t","s"]'],
  ['OpenReviewResult', OpenReviewResult, '["u",7,"m"]'],
  ['RevisionIdResult', RevisionIdResult, '[null]'],
  ['ProtectedTargetsResult', ProtectedTargetsResult, '[]'],
  ['SyncUpstreamResult', SyncUpstreamResult, '[true,[],1]'],
  ['SyncUpstreamResult', SyncUpstreamResult, '[true,[],-1,"m"]'],
  ['CheckReviewParams', CheckReviewParams, '[]'],
  ['CheckReviewResult', CheckReviewResult, '[]'],
  ['CheckReviewResult', CheckReviewResult, '[true,null]'],
  ['CheckReviewResult', CheckReviewResult, '[true,"open",null,null]'],
  ['MergeReviewParams', MergeReviewParams, '["1","2"]'],
  // merge_commit has a default, but message after it does not
  ['MergeReviewResult', MergeReviewResult, '[true]'],
  ['MergeReviewResult', MergeReviewResult, '[true,"abc"]'],
  ['MergeReviewResult', MergeReviewResult, '[true,"m",{}]'],
  ['MergeReviewResult', MergeReviewResult, '[true,null,"m",{},null]'],
];

// The schema goes last, out of the title: a zod schema in a test title would be printed in full.
const titledGolden = ([name, schema, input, expected]: [string, z.ZodType, string, string]) => [name, input, expected, schema] as const;
const titledRefusal = ([name, schema, input]: [string, z.ZodType, string]) => [name, input, schema] as const;

describe('golden round trips: wire text → parse → the JSON serde_json writes', () => {
  it.each(goldens.map(titledGolden))('%s: %s', (_name, input, expected, schema) => {
    expect(rewrite(schema, input)).toBe(expected);
    expect(rewrite(schema, expected)).toBe(expected);
  });

  it.each(refusals.map(titledRefusal))('%s refuses %s', (_name, input, schema) => {
    expect(!accepts(schema, input)).toBe(true);
  });

  it.each(arrayGoldens.map(titledGolden))('array form, %s: %s', (_name, input, expected, schema) => {
    expect(rewrite(schema, input)).toBe(expected);
    expect(rewrite(schema, expected)).toBe(expected);
  });

  it.each(arrayRefusals.map(titledRefusal))('array form, %s refuses %s', (_name, input, schema) => {
    expect(!accepts(schema, input)).toBe(true);
  });

  it('array form: error is kept only when a string was sent, and may not be left out', () => {
    expect('error' in VcsPluginResponse.parse([true, null, null])).toBe(false);
    expect(VcsPluginResponse.parse([false, null, 'boom'])).toEqual({ ok: false, result: null, error: 'boom' });
    const short = VcsPluginResponse.safeParse([true]);
    expect(short.error?.issues[0]?.message).toContain('`error` (index 2)');
  });

  it('VcsPluginResponse: a null or missing error is absent from the parsed object', () => {
    expect('error' in VcsPluginResponse.parse({ ok: true, error: null })).toBe(false);
    expect('error' in VcsPluginResponse.parse({ ok: true })).toBe(false);
    expect(VcsPluginResponse.parse({ ok: false, error: 'x' })).toEqual({ ok: false, result: null, error: 'x' });
  });

  it('VcsPluginResponse: result is always present, null when missing', () => {
    const parsed = VcsPluginResponse.parse({ ok: true });
    expect(Object.keys(parsed)).toEqual(['ok', 'result']);
    expect(parsed.result).toBeNull();
  });

  it('defaulted fields get a fresh value per parse', () => {
    const a = CommitResult.parse({ commit_id: 'c', message: 'm' });
    const b = CommitResult.parse({ commit_id: 'c', message: 'm' });
    a.metadata.x = 'y';
    expect(b.metadata).toEqual({});
  });

  it('known JS limitation: an integral float such as 1.0 reads as an integer (serde_json refuses it for u32)', () => {
    expect(rewrite(HandshakeParams, '{"ta_version":"1","protocol_version":1.0}')).toBe('{"ta_version":"1","protocol_version":1}');
  });
});

describe('VCS_METHODS', () => {
  it('lists the 17 wire methods: the 15 of the seed in protocol order, then the two TA added', () => {
    expect(VCS_METHOD_NAMES).toEqual([
      'handshake', 'detect', 'exclude_patterns', 'save_state', 'restore_state', 'prepare', 'commit', 'push',
      'open_review', 'revision_id', 'protected_targets', 'verify_target', 'sync_upstream', 'check_review', 'merge_review',
      'is_path_ignored', 'commit_diff',
    ]);
  });

  it('says which methods have no params or no result', () => {
    const noParams = VCS_METHOD_NAMES.filter((m) => VCS_METHODS[m].params === null);
    const noResult = VCS_METHOD_NAMES.filter((m) => VCS_METHODS[m].result === null);
    expect(noParams).toEqual(['exclude_patterns', 'save_state', 'revision_id', 'protected_targets', 'verify_target', 'sync_upstream', 'commit_diff']);
    expect(noResult).toEqual(['restore_state', 'prepare', 'verify_target']);
  });

  it('uses the exported schemas', () => {
    expect(VCS_METHODS.commit).toEqual({ params: CommitParams, result: CommitResult });
    expect(VCS_METHODS.handshake.result).toBe(HandshakeResult);
    expect(VCS_METHODS.check_review.result).toBe(CheckReviewResult);
  });

  it('isVcsMethod knows only own method names', () => {
    expect(isVcsMethod('commit')).toBe(true);
    expect(isVcsMethod('verify_target')).toBe(true);
    expect(isVcsMethod('commit_diff')).toBe(true);
    expect(isVcsMethod('is_path_ignored')).toBe(true);
    expect(isVcsMethod('stage_env')).toBe(false);
    expect(isVcsMethod('toString')).toBe(false);
    expect(isVcsMethod('__proto__')).toBe(false);
  });

  it('vcsRequest writes params as serde does, and {} for a method without params', () => {
    const prepare = vcsRequest('prepare', { goal_id: 'g', goal_title: 't', workspace_path: '/w', branch_prefix: 'f/' });
    expect(JSON.stringify(prepare)).toBe(
      '{"method":"prepare","params":{"goal_id":"g","goal_title":"t","workspace_path":"/w","branch_prefix":"f/","co_author":null}}',
    );
    expect(JSON.stringify(vcsRequest('exclude_patterns'))).toBe('{"method":"exclude_patterns","params":{}}');
    expect(JSON.stringify(vcsRequest('verify_target', {}))).toBe('{"method":"verify_target","params":{}}');
    expect(JSON.stringify(vcsRequest('commit_diff'))).toBe('{"method":"commit_diff","params":{}}');
    expect(JSON.stringify(vcsRequest('is_path_ignored', { project_root: '/p', ta_rel_path: 'staging/' }))).toBe(
      '{"method":"is_path_ignored","params":{"project_root":"/p","ta_rel_path":"staging/"}}',
    );
    expect(VcsPluginRequest.parse(prepare)).toEqual(prepare);
    expect(() => vcsRequest('handshake', { ta_version: '1', protocol_version: -1 })).toThrow(z.ZodError);
  });

  it('parseVcsParams: an adapter ignores whatever params a method without params gets', () => {
    expect(parseVcsParams('verify_target', null)).toEqual({});
    expect(parseVcsParams('save_state', { junk: 1 })).toEqual({});
    expect(parseVcsParams('restore_state', { state: null })).toEqual({ state: null });
    expect(() => parseVcsParams('restore_state', {})).toThrow(z.ZodError);
    expect(() => parseVcsParams('push', null)).toThrow(z.ZodError);
  });

  it('parseVcsResult: a client gets null for a method without a result, whatever arrived', () => {
    expect(parseVcsResult('prepare', { branch: 'feature/x' })).toBeNull();
    expect(parseVcsResult('verify_target', null)).toBeNull();
    expect(parseVcsResult('restore_state', 'done')).toBeNull();
    expect(parseVcsResult('handshake', { plugin_version: '1', protocol_version: 1, adapter_name: 'svn' })).toEqual({
      plugin_version: '1',
      protocol_version: 1,
      adapter_name: 'svn',
      capabilities: [],
    });
    expect(() => parseVcsResult('exclude_patterns', null)).toThrow(z.ZodError);
  });
});

describe('vcsSuccess / vcsError', () => {
  it('write the envelopes serde writes', () => {
    expect(JSON.stringify(vcsSuccess({ adapter_name: 'perforce' }))).toBe('{"ok":true,"result":{"adapter_name":"perforce"}}');
    expect(JSON.stringify(vcsSuccess(null))).toBe('{"ok":true,"result":null}');
    expect(JSON.stringify(vcsError('p4 not found'))).toBe('{"ok":false,"result":null,"error":"p4 not found"}');
    expect('error' in vcsSuccess(null)).toBe(false);
  });

  it('are fixed points of VcsPluginResponse', () => {
    for (const resp of [vcsSuccess([1, 'a']), vcsError('boom'), vcsError('')]) {
      expect(VcsPluginResponse.parse(JSON.parse(JSON.stringify(resp)))).toEqual(resp);
    }
  });
});

const text = fc.string({ unit: 'binary', maxLength: 8 });
const texts = fc.array(text, { maxLength: 4 });
const u32 = fc.nat({ max: 4_294_967_295 });
const metadata = fc.dictionary(text, text, { maxKeys: 3 });
const json = fc.jsonValue({ maxDepth: 3 });

/** Valid wire objects per schema; defaulted and Option fields are sometimes left out. */
const arbitraries: [string, z.ZodType, fc.Arbitrary<unknown>][] = [
  ['VcsPluginRequest', VcsPluginRequest, fc.record({ method: text, params: json })],
  ['VcsPluginResponse', VcsPluginResponse, fc.record({ ok: fc.boolean(), result: json, error: fc.option(text) }, { requiredKeys: ['ok'] })],
  ['HandshakeParams', HandshakeParams, fc.record({ ta_version: text, protocol_version: u32 })],
  ['HandshakeResult', HandshakeResult, fc.record({ plugin_version: text, protocol_version: u32, adapter_name: text, capabilities: texts }, { requiredKeys: ['plugin_version', 'protocol_version', 'adapter_name'] })],
  ['DetectParams', DetectParams, fc.record({ project_root: text })],
  ['DetectResult', DetectResult, fc.record({ detected: fc.boolean() })],
  ['ExcludePatternsResult', ExcludePatternsResult, fc.record({ patterns: texts })],
  ['SaveStateResult', SaveStateResult, fc.record({ state: json })],
  ['RestoreStateParams', RestoreStateParams, fc.record({ state: json })],
  ['PrepareParams', PrepareParams, fc.record({ goal_id: text, goal_title: text, workspace_path: text, branch_prefix: text, co_author: fc.option(text) }, { requiredKeys: ['goal_id', 'goal_title', 'workspace_path', 'branch_prefix'] })],
  ['CommitParams', CommitParams, fc.record({ goal_id: text, goal_title: text, message: text, changed_files: texts })],
  ['CommitResult', CommitResult, fc.record({ commit_id: text, message: text, metadata }, { requiredKeys: ['commit_id', 'message'] })],
  ['PushParams', PushParams, fc.record({ goal_id: text })],
  ['PushResult', PushResult, fc.record({ remote_ref: text, message: text, metadata }, { requiredKeys: ['remote_ref', 'message'] })],
  ['OpenReviewParams', OpenReviewParams, fc.record({ goal_id: text, goal_title: text, draft_summary: text, changed_files: texts })],
  ['OpenReviewResult', OpenReviewResult, fc.record({ review_url: text, review_id: text, message: text, metadata }, { requiredKeys: ['review_url', 'review_id', 'message'] })],
  ['RevisionIdResult', RevisionIdResult, fc.record({ revision_id: text })],
  ['ProtectedTargetsResult', ProtectedTargetsResult, fc.record({ targets: texts })],
  ['SyncUpstreamResult', SyncUpstreamResult, fc.record({ updated: fc.boolean(), conflicts: texts, new_commits: u32, message: text, metadata }, { requiredKeys: ['updated', 'conflicts', 'new_commits', 'message'] })],
  ['CheckReviewParams', CheckReviewParams, fc.record({ review_id: text })],
  ['CheckReviewResult', CheckReviewResult, fc.record({ found: fc.boolean(), state: text, checks_passing: fc.option(fc.boolean()) }, { requiredKeys: ['found'] })],
  ['MergeReviewParams', MergeReviewParams, fc.record({ review_id: text })],
  ['MergeReviewResult', MergeReviewResult, fc.record({ merged: fc.boolean(), merge_commit: fc.option(text), message: text, metadata }, { requiredKeys: ['merged', 'message'] })],
  ['IsPathIgnoredParams', IsPathIgnoredParams, fc.record({ project_root: text, ta_rel_path: text })],
  ['IsPathIgnoredResult', IsPathIgnoredResult, fc.record({ ignored: fc.boolean() })],
  ['CommitDiffResult', CommitDiffResult, fc.record({ diff: text })],
];

const RUNS = { seed: 42, numRuns: 300 };

/** The schema's own keys, in declaration (Rust) order (a struct is a pipe: array form, then the object). */
function shapeKeys(schema: z.ZodType): string[] {
  const object = schema instanceof z.ZodPipe ? schema.out : schema;
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

describe('properties', () => {
  it('covers every schema of the protocol', () => {
    const tabled = VCS_METHOD_NAMES.flatMap((m) => [VCS_METHODS[m].params, VCS_METHODS[m].result]).filter((s) => s !== null);
    const generated = new Set(arbitraries.map(([, schema]) => schema));
    for (const schema of tabled) expect(generated.has(schema)).toBe(true);
    expect(arbitraries).toHaveLength(26);
  });

  it('the table of default sets names every field of every struct, in Rust order', () => {
    for (const [name, schema] of arbitraries) expect(shapeKeys(schema), name).toEqual(SEQ[name]!.fields);
  });

  it.each(arbitraries)('%s: an array of the first n fields reads as the object of those fields, exactly for the lengths serde reads', (name, schema, arbitrary) => {
    const { fields } = SEQ[name]!;
    const min = minElements(name);
    fc.assert(
      fc.property(arbitrary, fc.integer({ min: 0, max: fields.length + 1 }), (value, length) => {
        // The parsed object as serde writes it, with an omitted `error` written as null.
        const full = schema.parse(value) as Record<string, unknown>;
        const elements = fields.map((key) => full[key] ?? null);
        const array = length <= fields.length ? elements.slice(0, length) : [...elements, null];
        const fromArray = schema.safeParse(JSON.parse(JSON.stringify(array)));
        expect(fromArray.success).toBe(length >= min && length <= fields.length);
        if (fromArray.success) {
          const object = Object.fromEntries(fields.slice(0, length).map((key) => [key, elements[fields.indexOf(key)]]));
          expect(JSON.stringify(fromArray.data)).toBe(rewrite(schema, JSON.stringify(object)));
        }
      }),
      RUNS,
    );
  });

  it.each(arbitraries)('%s: valid values round-trip through JSON text unchanged', (_name, schema, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (value) => {
        const parsed: unknown = schema.parse(value);
        const written = JSON.stringify(parsed);
        const reread: unknown = schema.parse(JSON.parse(JSON.stringify(value)));
        expect(reread).toEqual(parsed);
        expect(JSON.stringify(reread)).toBe(written);
        expect(rewrite(schema, written)).toBe(written);
        const keys = Object.keys(parsed as object);
        expect(keys).toEqual(shapeKeys(schema).filter((k) => keys.includes(k)));
        if (schema !== VcsPluginResponse) expect(keys).toEqual(shapeKeys(schema));
      }),
      RUNS,
    );
  });

  it('arbitrary JSON never makes a schema throw', () => {
    const schemas = arbitraries.map(([, schema]) => schema);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const schema of schemas) expect(() => schema.safeParse(value)).not.toThrow();
      }),
      RUNS,
    );
  });

  it.each(arbitraries)('%s: the right keys, or an array, with random JSON values never throw, and what parses re-encodes stably', (_name, schema) => {
    const keys = [...shapeKeys(schema), 'extra'];
    const arbitrary = fc.oneof(
      fc.record(Object.fromEntries(keys.map((k) => [k, fc.jsonValue({ maxDepth: 2 })])), { requiredKeys: [] }),
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: keys.length }),
    );
    fc.assert(
      fc.property(arbitrary, (value) => {
        const result = schema.safeParse(value);
        if (result.success) {
          const written = JSON.stringify(result.data);
          expect(rewrite(schema, written)).toBe(written);
          expect(written).not.toContain('"extra"');
        }
      }),
      RUNS,
    );
  });

  it('VcsPluginResponse: error is in the parsed object exactly when a string was sent', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.option(fc.option(text), { nil: undefined }), (ok, error) => {
        const wire = error === undefined ? { ok } : { ok, error };
        const parsed = VcsPluginResponse.parse(wire);
        expect('error' in parsed).toBe(typeof error === 'string');
      }),
      RUNS,
    );
  });
});

describe('JSON Schema export', () => {
  it.each(arbitraries)('%s exports both forms: the object, and the array of its fields', (name, schema) => {
    const exported = contractJsonSchema(name, schema);
    const [object, array] = exported.anyOf as [Record<string, unknown>, Record<string, unknown>];
    expect(object.type).toBe('object');
    expect(Object.keys(object.properties as object)).toEqual(SEQ[name]!.fields);
    expect(array.type).toBe('array');
    const min = minElements(name);
    const max = SEQ[name]!.fields.length;
    if (min === max) {
      expect(array).toMatchObject({ minItems: max, maxItems: max });
      expect(array.prefixItems).toEqual(SEQ[name]!.fields.map((key) => (object.properties as Record<string, unknown>)[key]));
    } else {
      expect(array).toMatchObject({ minItems: min, maxItems: max });
      expect((array.anyOf as { minItems: number }[]).map((tuple) => tuple.minItems)).toEqual(
        Array.from({ length: max - min + 1 }, (_, i) => min + i),
      );
    }
  });

  it('z.toJSONSchema without the override describes the object form only', () => {
    expect(z.toJSONSchema(CommitResult, { io: 'input' }).type).toBe('object');
  });
});

describe('types', () => {
  it('are what a user would write by hand', () => {
    expectTypeOf<CommitResult>().toEqualTypeOf<{ commit_id: string; message: string; metadata: Record<string, string> }>();
    expectTypeOf<HandshakeParams>().toEqualTypeOf<{ ta_version: string; protocol_version: number }>();
    expectTypeOf<HandshakeResult>().toEqualTypeOf<{ plugin_version: string; protocol_version: number; adapter_name: string; capabilities: string[] }>();
    expectTypeOf<HandshakeResultInput>().toEqualTypeOf<{ plugin_version: string; protocol_version: number; adapter_name: string; capabilities?: string[] | undefined }>();
    expectTypeOf<PrepareParams>().toEqualTypeOf<{ goal_id: string; goal_title: string; workspace_path: string; branch_prefix: string; co_author: string | null }>();
    expectTypeOf<PrepareParamsInput>().toEqualTypeOf<{ goal_id: string; goal_title: string; workspace_path: string; branch_prefix: string; co_author?: string | null | undefined }>();
    expectTypeOf<CheckReviewResult>().toEqualTypeOf<{ found: boolean; state: string; checks_passing: boolean | null }>();
    expectTypeOf<MergeReviewResult>().toEqualTypeOf<{ merged: boolean; merge_commit: string | null; message: string; metadata: Record<string, string> }>();
    expectTypeOf<SyncUpstreamResult>().toEqualTypeOf<{ updated: boolean; conflicts: string[]; new_commits: number; message: string; metadata: Record<string, string> }>();
    expectTypeOf<SaveStateResult>().toEqualTypeOf<{ state: Json }>();
    expectTypeOf<VcsPluginRequest>().toEqualTypeOf<{ method: string; params: Json }>();
    expectTypeOf<VcsPluginResponse>().toEqualTypeOf<{ ok: boolean; result: Json; error?: string | undefined }>();
    expectTypeOf<VcsPluginResponseInput>().toEqualTypeOf<{ ok: boolean; result?: Json | undefined; error?: string | null | undefined }>();
    expectTypeOf<z.input<typeof CommitResult>>().toEqualTypeOf<{ commit_id: string; message: string; metadata?: Record<string, string> | undefined }>();
    expectTypeOf(VCS_PROTOCOL_VERSION).toEqualTypeOf<1>();
  });

  it('map a method name to its params and result', () => {
    expectTypeOf<VcsMethod>().toEqualTypeOf<
      | 'handshake' | 'detect' | 'exclude_patterns' | 'save_state' | 'restore_state' | 'prepare' | 'commit' | 'push'
      | 'open_review' | 'revision_id' | 'protected_targets' | 'verify_target' | 'sync_upstream' | 'check_review' | 'merge_review'
      | 'is_path_ignored' | 'commit_diff'
    >();
    expectTypeOf<VcsParams<'prepare'>>().toEqualTypeOf<PrepareParamsInput>();
    expectTypeOf<VcsParamsOutput<'prepare'>>().toEqualTypeOf<PrepareParams>();
    expectTypeOf<VcsParams<'exclude_patterns'>>().toEqualTypeOf<VcsNoParams>();
    expectTypeOf<VcsResult<'commit'>>().toEqualTypeOf<CommitResult>();
    expectTypeOf<VcsResult<'verify_target'>>().toEqualTypeOf<null>();
    expectTypeOf<VcsResult<'prepare'>>().toEqualTypeOf<null>();
    expectTypeOf<VcsResultInput<'handshake'>>().toEqualTypeOf<HandshakeResultInput>();
    expectTypeOf<VcsResult<'commit' | 'verify_target'>>().toEqualTypeOf<CommitResult | null>();
    expectTypeOf(parseVcsResult<'check_review'>).returns.toEqualTypeOf<CheckReviewResult>();
    expectTypeOf(vcsRequest).parameter(0).toEqualTypeOf<VcsMethod>();
    // @ts-expect-error handshake needs its params
    expect(() => vcsRequest('handshake')).toThrow();
  });
});
