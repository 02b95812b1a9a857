package io.github.apikey.core.audit;

/**
 * The last link of the audit chain as the store recorded it with each append: so deleting the newest events is noticed
 * too, not only deleting or editing older ones.
 *
 * @param sequence the last event's sequence, 0 before the first
 * @param hash     its hash, {@link ApiKeyEventChain#GENESIS_HASH} before the first
 */
public record ChainHead(long sequence, String hash) {

    public static final ChainHead GENESIS = new ChainHead(0, ApiKeyEventChain.GENESIS_HASH);
}
