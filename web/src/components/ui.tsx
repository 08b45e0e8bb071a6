import { clsx } from "clsx";
import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";
import { forwardRef, useId } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

const variants: Record<Variant, string> = {
  primary: "bg-blue-700 text-white hover:bg-blue-800",
  secondary: "border border-slate-400 bg-white text-slate-900 hover:bg-slate-100",
  danger: "bg-red-700 text-white hover:bg-red-800",
  ghost: "text-slate-800 hover:bg-slate-200",
};

export function Button({
  variant = "primary",
  className,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return (
    <button
      type="button"
      className={clsx(
        "inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-semibold disabled:opacity-60",
        variants[variant],
        className,
      )}
      {...props}
    />
  );
}

export const TextInput = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string }>(
  function TextInput({ label, error, className, ...props }, ref) {
    const id = useId();
    return (
      <div className={clsx("flex flex-col gap-1", className)}>
        <label htmlFor={id} className="text-sm font-semibold text-slate-800">
          {label}
        </label>
        <input
          id={id}
          ref={ref}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className="rounded-md border border-slate-500 bg-white px-3 py-2 text-slate-900"
          {...props}
        />
        {error && (
          <p id={`${id}-error`} className="text-sm text-red-800">
            {error}
          </p>
        )}
      </div>
    );
  },
);

export function TextArea({ label, className, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string }) {
  const id = useId();
  return (
    <div className={clsx("flex flex-col gap-1", className)}>
      <label htmlFor={id} className="text-sm font-semibold text-slate-800">
        {label}
      </label>
      <textarea id={id} rows={4} className="rounded-md border border-slate-500 bg-white px-3 py-2 text-slate-900" {...props} />
    </div>
  );
}

export function Alert({ children, tone = "error" }: { children: ReactNode; tone?: "error" | "info" | "success" }) {
  const tones = {
    error: "border-red-700 bg-red-50 text-red-900",
    info: "border-blue-700 bg-blue-50 text-blue-900",
    success: "border-green-700 bg-green-50 text-green-900",
  };
  return (
    <div role={tone === "error" ? "alert" : "status"} className={clsx("rounded-md border-l-4 p-3 text-sm", tones[tone])}>
      {children}
    </div>
  );
}
