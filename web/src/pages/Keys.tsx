/** Keys and tokens (placeholder of the app shell; the page itself comes with issue 13). */
export function Keys() {
  return (
    <section>
      <h1>Keys and tokens</h1>
    </section>
  );
}
