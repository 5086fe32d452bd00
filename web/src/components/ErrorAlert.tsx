/** A failed call's message where the reader meets it (role="alert" is announced); nothing when there is none. */
export function ErrorAlert({ message, inline }: { message: string | undefined; inline?: boolean }) {
  if (!message) return null;
  const Tag = inline ? 'span' : 'p';
  return (
    <Tag role="alert" className="error">
      {message}
    </Tag>
  );
}
