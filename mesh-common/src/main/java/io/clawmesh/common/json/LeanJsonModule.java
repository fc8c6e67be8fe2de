package io.clawmesh.common.json;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.SettableBeanProperty;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.bean.PropertyValueBuffer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.introspect.AnnotatedWithParams;
import tools.jackson.databind.module.SimpleModule;

/**
 * Reads what every message carries without Jackson's generic paths, which cost an agent on the client compiler (C1)
 * about a fifth of its time per message (JFR, 2026-12-07): an ISO-8601 instant in UTC ({@code
 * 2026-12-07T06:09:52.123Z}, as {@link Instant#toString()} writes it) is parsed by hand instead of by a {@code
 * DateTimeFormatter}, and a public record is built through a spread method handle instead of {@code
 * MethodHandle.invokeWithArguments}. Anything else (an offset, a number, a non-public record) and anything that fails
 * goes the default way, so values, errors and their messages are exactly Jackson's.
 */
public final class LeanJsonModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    public LeanJsonModule() {
        super("claw-mesh-lean-json");
        addDeserializer(Instant.class, new UtcInstantDeserializer());
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addValueInstantiators(new RecordInstantiators());
    }

    /**
     * The instant in {@code text} when it has the shape {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with a valid date and
     * time; {@code null} for anything else (the caller then parses it the general way).
     */
    static @Nullable Instant parseUtc(String text) {
        int length = text.length();
        if (length < 20
                || length > 30
                || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            // a fraction: a dot and 1 to 9 digits before the Z
            if (text.charAt(19) != '.' || length == 21) {
                return null;
            }
            int fraction = digits(text, 20, length - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = length - 1 - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException ex) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[from, to)}, or -1 when a character is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** UTC instants by hand; every other input by Jackson's own {@link InstantDeserializer}. */
    static final class UtcInstantDeserializer extends StdScalarDeserializer<Instant> {

        UtcInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                Instant instant = parseUtc(parser.getString());
                if (instant != null) {
                    return instant;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }

    /** Wraps the default instantiator of a public record whose canonical constructor Jackson calls with all fields. */
    static final class RecordInstantiators implements ValueInstantiators {

        @Override
        public @Nullable ValueInstantiator findValueInstantiator(
                DeserializationConfig config, BeanDescription.Supplier description) {
            return null;
        }

        @Override
        public ValueInstantiator modifyValueInstantiator(
                DeserializationConfig config,
                BeanDescription.Supplier description,
                ValueInstantiator defaultInstantiator) {
            if (!(defaultInstantiator instanceof StdValueInstantiator standard)
                    || !standard.canCreateFromObjectWith()
                    || !standard.getValueClass().isRecord()) {
                return defaultInstantiator;
            }
            MethodHandle spread = spreadConstructor(standard.getWithArgsCreator());
            return (spread != null) ? new RecordInstantiator(standard, spread) : defaultInstantiator;
        }

        private static @Nullable MethodHandle spreadConstructor(@Nullable AnnotatedWithParams creator) {
            if (creator == null
                    || !(creator.getAnnotated() instanceof Constructor<?> constructor)
                    || !Modifier.isPublic(constructor.getModifiers())
                    || !Modifier.isPublic(constructor.getDeclaringClass().getModifiers())) {
                return null;
            }
            try {
                return MethodHandles.publicLookup()
                        .unreflectConstructor(constructor)
                        .asSpreader(Object[].class, constructor.getParameterCount())
                        .asType(MethodType.methodType(Object.class, Object[].class));
            } catch (IllegalAccessException | IllegalArgumentException ex) {
                return null;
            }
        }
    }

    /** Builds the record by its spread constructor; on any failure asks the default, which reports it as Jackson does. */
    static final class RecordInstantiator extends ValueInstantiator.Delegating {

        private static final long serialVersionUID = 1L;

        private final transient MethodHandle constructor;

        RecordInstantiator(ValueInstantiator delegate, MethodHandle constructor) {
            super(delegate);
            this.constructor = constructor;
        }

        @Override
        public ValueInstantiator createContextual(
                DeserializationContext context, BeanDescription.Supplier description) {
            ValueInstantiator contextual = delegate().createContextual(context, description);
            return (contextual == delegate()) ? this : contextual;
        }

        @Override
        public Object createFromObjectWith(
                DeserializationContext context, SettableBeanProperty[] properties, PropertyValueBuffer buffer)
                throws JacksonException {
            // what ValueInstantiator itself does (Delegating would hand it to the default whole)
            return createFromObjectWith(context, buffer.getParameters(context, properties));
        }

        @Override
        public Object createFromObjectWith(DeserializationContext context, Object[] arguments) throws JacksonException {
            try {
                return (Object) this.constructor.invokeExact(arguments);
            } catch (Throwable ex) {
                // a type the handle cannot take or a check in the record: the default path says it properly
                return delegate().createFromObjectWith(context, arguments);
            }
        }
    }
}
