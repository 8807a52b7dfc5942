import { reactive, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/shared/http.ts';

export type FieldErrors<V> = Partial<Record<keyof V & string, string>>;

export interface FormOptions<V extends object> {
  initial: () => V;
  /** Client-side checks, the same rules as the API's schema; returns a message per field at fault. */
  validate: (values: V) => FieldErrors<V>;
  /** The field a refusal belongs to when the server's answer names none (e.g. PHONE_TAKEN → phone). */
  codeFields?: Partial<Record<string, keyof V & string>>;
  submit: (values: V) => Promise<void>;
}

export interface Form<V extends object> {
  values: V;
  errors: FieldErrors<V>;
  /** A message about the whole form (wrong password, throttled, network down), or ''. */
  formError: Ref<string>;
  submitting: Ref<boolean>;
  /** Validates, submits, and spreads the server's refusal over the fields; true when it went through. */
  handleSubmit: () => Promise<boolean>;
  reset: () => void;
}

/**
 * One form's state: values, per-field messages (from local checks or from the server's problem+json),
 * a form-level message and the loading flag.
 */
export function useForm<V extends object>(options: FormOptions<V>): Form<V> {
  const { t } = useI18n();
  const values = reactive(options.initial()) as V;
  const errors = reactive({}) as FieldErrors<V>;
  const formError = ref('');
  const submitting = ref(false);

  function clearErrors(): void {
    for (const key of Object.keys(errors)) delete errors[key as keyof FieldErrors<V>];
    formError.value = '';
  }

  function showRefusal(error: ApiError): void {
    let placed = false;
    for (const [field, message] of Object.entries(error.fields)) {
      if (field in values) {
        errors[field as keyof V & string] = message;
        placed = true;
      }
    }
    const codeField = options.codeFields?.[error.code];
    if (codeField) {
      errors[codeField] = error.detail;
      return;
    }
    formError.value = placed ? t('errors.checkFields') : error.detail;
  }

  async function handleSubmit(): Promise<boolean> {
    if (submitting.value) return false;
    clearErrors();
    const found = options.validate(values);
    if (Object.keys(found).length > 0) {
      Object.assign(errors, found);
      formError.value = t('errors.checkFields');
      return false;
    }
    submitting.value = true;
    try {
      await options.submit(values);
      return true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showRefusal(error);
      return false;
    } finally {
      submitting.value = false;
    }
  }

  function reset(): void {
    clearErrors();
    Object.assign(values, options.initial());
  }

  return { values, errors, formError, submitting, handleSubmit, reset };
}
