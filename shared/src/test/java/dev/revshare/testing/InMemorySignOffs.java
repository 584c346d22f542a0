package dev.revshare.testing;

import dev.revshare.signoff.Acknowledgement;
import dev.revshare.signoff.Objection;
import dev.revshare.signoff.SignOffStore;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sign-offs in memory, keeping {@link SignOffStore}'s contract (SignOffStoreContract runs against both). */
public final class InMemorySignOffs implements SignOffStore {
    private final Map<String, Acknowledgement> acknowledgements = new LinkedHashMap<>();
    private final Map<String, Objection> objections = new LinkedHashMap<>();

    @Override
    public synchronized boolean acknowledge(Acknowledgement a) {
        return acknowledgements.putIfAbsent(a.agreementId() + "|" + a.period() + "|" + a.side(), a) == null;
    }

    @Override
    public synchronized boolean object(Objection objection) {
        return objections.putIfAbsent(objection.agreementId() + "|" + objection.id(), objection.resolved(null)) == null;
    }

    @Override
    public synchronized List<Acknowledgement> acknowledgements(String agreementId, YearMonth period) {
        return acknowledgements.values().stream().filter(a -> a.agreementId().equals(agreementId) && a.period().equals(period))
                .sorted(Comparator.comparing(Acknowledgement::side)).toList();
    }

    @Override
    public synchronized List<Objection> objections(String agreementId) {
        return new ArrayList<>(objections.values().stream().filter(o -> o.agreementId().equals(agreementId))
                .sorted(Comparator.comparing(Objection::period).thenComparing(Objection::at).thenComparing(Objection::id)).toList());
    }

    @Override
    public synchronized Optional<Objection> objection(String agreementId, String objectionId) {
        return Optional.ofNullable(objections.get(agreementId + "|" + objectionId));
    }

    @Override
    public synchronized boolean resolve(String agreementId, String objectionId, Objection.Resolution resolution) {
        Objection objection = objections.get(agreementId + "|" + objectionId);
        if (objection == null || !objection.open()) {
            return false;
        }
        objections.put(agreementId + "|" + objectionId, objection.resolved(resolution));
        return true;
    }
}
