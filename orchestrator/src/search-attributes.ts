// The saga upserts the OrderStatus search attribute; on a namespace without it every workflow
// task would fail (BadSearchAttributes) and every saga stall. So the worker checks at start,
// registers it where it may (the dev server, a self-hosted cluster with operator rights), and
// otherwise refuses to start with the command that fixes it.
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Logger } from '@orders/platform';
import { ORDER_STATUS_SEARCH_ATTRIBUTE } from './shared';

// A CommonJS module: its namespaces come through the default import.
const { IndexedValueType } = proto.temporal.api.enums.v1;

export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  logger: Logger,
): Promise<void> {
  const name = ORDER_STATUS_SEARCH_ATTRIBUTE.name;
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const type = listed.customAttributes?.[name];
  if (type === IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD) return;
  if (type !== undefined && type !== null)
    throw new Error(
      `search attribute ${name} exists in namespace ${namespace} with type ${IndexedValueType[type]}, not Keyword`,
    );
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: { [name]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD },
    });
    logger.info({ namespace, searchAttribute: name }, 'registered the search attribute sagas upsert');
  } catch (err) {
    throw new Error(
      `search attribute ${name} (Keyword) is not registered in namespace ${namespace} and could not be ` +
        `added (${err instanceof Error ? err.message : String(err)}); register it once with ` +
        `\`temporal operator search-attribute create --namespace ${namespace} --name ${name} --type Keyword\` ` +
        `(Temporal Cloud: \`tcld namespace search-attributes add\`)`,
      { cause: err },
    );
  }
}
