/** Overview (placeholder of the app shell; the page itself comes with issue 13). */
export function Overview() {
  return (
    <section>
      <h1>Overview</h1>
    </section>
  );
}
